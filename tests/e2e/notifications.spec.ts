import { expect, test } from "./test";
import { expectNoAxeViolations, openNewRequest, screenshot, signInAs, signOut } from "./helpers";

test.describe.configure({ mode: "serial" });

let number = "";

test("alice submits a production request; maya's email is in the outbox and its link opens the request", async ({
  page,
}) => {
  await signInAs(page, "alice@example.com");
  // v3 to production: a version the approvals spec's gate checks do not look at.
  await openNewRequest(page, "/requests/new?version=fraud-detector%40v3");
  await page.getByLabel("Environment").selectOption("production");
  await page.getByLabel("Description (Markdown)").fill("Ship v3 to production; maya should hear about it.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/requests\/\d+$/);
  number = page.url().split("/").pop()!;
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("In review", { exact: true }).first()).toBeVisible();
  await signOut(page);

  await signInAs(page, "maya@example.com");
  await page.goto("/outbox");
  const message = page
    .getByRole("table", { name: "Outbox messages" })
    .getByRole("row")
    .filter({ hasText: "maya@example.com" })
    .filter({ hasText: `[CR-${number}]` });
  await expect(message).toHaveCount(1);
  // Nothing leaves the machine without Resend: the outbox never claims a delivery.
  await expect(message).not.toContainText("Delivered");
  await expect(message).toContainText(/Held in the outbox|Queued|Sending/);
  await message.getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`CR-${number}`);
  await page.getByTestId("message-link").click();
  // An approver's email opens the request at the decision form.
  await expect(page).toHaveURL(new RegExp(`/requests/${number}#decide$`));
  await expect(page.locator("#decide")).toBeInViewport();
  await expect(page.getByText(`CR-${number}`).first()).toBeVisible();
});

test("maya moves decisions on her requests to the daily digest, by keyboard; assigned work cannot be switched off", async ({
  page,
}) => {
  await signInAs(page, "maya@example.com");
  await page.goto("/settings/notifications");
  await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();

  const assigned = page.getByRole("form", { name: "Delivery: A step is waiting for my decision" });
  await expect(assigned.getByRole("radio", { name: "Off" })).toBeDisabled();
  await expect(assigned.getByRole("radio", { name: "Off" })).toHaveAccessibleDescription(/never be switched off/);

  const decisions = page.getByRole("form", { name: "Delivery: A decision on my request" });
  await expect(decisions.getByRole("radio", { name: "Immediately" })).toBeChecked();
  await decisions.getByRole("radio", { name: "Immediately" }).focus();
  await page.keyboard.press("ArrowRight"); // arrows move within the radio group
  await expect(decisions.getByRole("radio", { name: "Daily digest" })).toBeChecked();
  await page.keyboard.press("Tab");
  await expect(decisions.getByRole("button", { name: "Save: A decision on my request" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByText("Saved. A decision on my request: daily digest.").first()).toBeVisible();

  await page.reload();
  await expect(
    page.getByRole("form", { name: "Delivery: A decision on my request" }).getByRole("radio", { name: "Daily digest" }),
  ).toBeChecked();
  await screenshot(page, "settings-notifications");
  await expectNoAxeViolations(page);
});

test("ada sees every email on the admin outbox page, and filters it", async ({ page }) => {
  await signInAs(page, "ada@example.com");
  await page.goto("/admin/users");
  const tab = page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Outbox" });
  await tab.click();
  await expect(page).toHaveURL(/\/admin\/outbox$/);
  await expect(tab).toHaveAttribute("aria-current", "page");
  const table = page.getByRole("table", { name: "Outbox" });
  const maya = table
    .getByRole("row")
    .filter({ hasText: "maya@example.com" })
    .filter({ hasText: `[CR-${number}]` });
  await expect(maya).toHaveCount(1);
  await expect(maya).toContainText("step_waiting");
  await screenshot(page, "admin-outbox");
  await expectNoAxeViolations(page);

  await page.getByLabel("Status").selectOption("dead_letter");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/status=dead_letter/);
  await expect(page.getByText("No emails here")).toBeVisible();
  await expectNoAxeViolations(page);
});
