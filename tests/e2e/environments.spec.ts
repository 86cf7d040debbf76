import { expect, test } from "./test";
import { expectNoAxeViolations, screenshot, signInAs } from "./helpers";

test("an admin adds an environment with a prerequisite; its page says what is live; archiving asks first", async ({
  page,
}) => {
  await signInAs(page, "ada@example.com");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Environments" }).click();
  const table = page.getByRole("table", { name: "Environments in promotion order" });
  await expect(table.getByRole("row")).toHaveCount(4); // header, development, staging, production
  await screenshot(page, "environments");
  await expectNoAxeViolations(page);

  const form = page.getByRole("form", { name: "Add an environment" });
  await form.getByLabel("Name").fill("Canary");
  await form.getByLabel("Order").fill("25");
  await form.getByRole("button", { name: "Add environment" }).click();
  await expect(form.getByText(/lower-case letters, digits and dashes/)).toBeVisible();
  await form.getByLabel("Name").fill("canary");
  await form.getByLabel("Must be deployed first to").selectOption("staging");
  await form.getByRole("button", { name: "Add environment" }).click();
  await expect(page.getByText("Environment canary added.").first()).toBeVisible();
  await expect(table.getByRole("row", { name: /canary/ })).toContainText("after staging");

  await table.getByRole("link", { name: "staging" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "staging" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Live in staging" })).toBeVisible();
  await screenshot(page, "environment-staging");
  await expectNoAxeViolations(page);

  // Staging cannot be archived while canary requires it: the dialog names the consequence, the form says why not.
  await page.getByRole("button", { name: "Archive staging" }).click();
  const dialog = page.getByRole("dialog", { name: "Archive staging?" });
  await expect(dialog).toContainText("No new request can name staging");
  await dialog.getByRole("button", { name: "Archive" }).click();
  await expect(page.getByText(/canary requires a deployment in staging first/).first()).toBeVisible();
  await dialog.getByRole("button", { name: "Keep it" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "staging" })).not.toContainText("archived");
});

test("a requester sees environments and what is live, without the admin forms", async ({ page }) => {
  await signInAs(page, "alice@example.com");
  await page.goto("/environments/production");
  await expect(page.getByRole("heading", { level: 1, name: /production/ })).toBeVisible();
  await expect(page.getByRole("button", { name: /Archive/ })).toHaveCount(0);
  await expect(page.getByRole("form", { name: /Change production/ })).toHaveCount(0);
  await screenshot(page, "environment-production-requester");
  await expectNoAxeViolations(page);
});
