import { expect, test } from "./test";
import { expectNoAxeViolations, screenshot, signInAs, signOut } from "./helpers";

test("an admin grants a role, and the Audit page shows the event", async ({ page }) => {
  await signInAs(page, "ada@example.com");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("table", { name: "Users" })).toBeVisible();
  await screenshot(page, "admin-users");
  await expectNoAxeViolations(page);

  const toggle = page.getByRole("button", { name: "Security role for bob@example.com" });
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await toggle.click();
  await expect(page.getByText("Role granted.").first()).toBeVisible();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
  const row = page.getByRole("row").filter({ hasText: "user.role_granted" }).first();
  await expect(row).toContainText("ada@example.com");
  await expect(row).toContainText("bob@example.com");
  await expect(row).toContainText("security");
  await screenshot(page, "audit");
  await expectNoAxeViolations(page);

  // Bob's next page load already carries the new role.
  await signOut(page);
  await signInAs(page, "bob@example.com");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Security" })).toBeVisible();
});

test("the last admin cannot remove their own admin role", async ({ page }) => {
  await signInAs(page, "ada@example.com");
  await page.goto("/admin/users");
  const toggle = page.getByRole("button", { name: "Admin role for ada@example.com" });
  await toggle.click();
  await expect(page.getByText(/needs at least one active admin/).first()).toBeVisible();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
});

test("a deactivated user is signed out and cannot sign back in", async ({ browser }) => {
  const bob = await browser.newPage();
  await signInAs(bob, "bob@example.com");

  const admin = await browser.newPage();
  await signInAs(admin, "ada@example.com");
  await admin.goto("/admin/users");
  await admin.getByRole("button", { name: "Deactivate bob@example.com" }).click();
  await expect(admin.getByTestId("user-bob@example.com")).toContainText("Deactivated");

  await bob.goto("/inbox");
  await expect(bob).toHaveURL(/\/sign-in/);
  await bob.getByRole("list", { name: "Demo accounts" }).waitFor();
  await expect(bob.getByRole("listitem").filter({ hasText: "bob@example.com" })).toHaveCount(0);

  await admin.getByRole("button", { name: "Reactivate bob@example.com" }).click();
  await expect(admin.getByTestId("user-bob@example.com")).toContainText("Active");
});

test("teams: create and rename, with clear errors for taken names", async ({ page }) => {
  await signInAs(page, "ada@example.com");
  await page.goto("/admin/teams");
  const create = page.getByRole("form", { name: "Create a team" });
  await create.getByLabel("Name").fill("Vision");
  await create.getByRole("button", { name: "Create team" }).click();
  await expect(page.getByText("Team Vision created.").first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "Vision", exact: true })).toBeVisible();
  await expect(create.getByLabel("Name")).toHaveValue(""); // the form clears after success

  await create.getByLabel("Name").fill("fraud");
  await create.getByRole("button", { name: "Create team" }).click();
  await expect(page.getByText('A team named "fraud" already exists.').first()).toBeVisible();

  const rename = page.getByRole("form", { name: "Rename Vision" });
  await rename.getByRole("textbox").fill("Computer Vision");
  await rename.getByRole("button", { name: "Rename" }).click();
  await expect(page.getByRole("cell", { name: "Computer Vision", exact: true })).toBeVisible();
  await screenshot(page, "admin-teams");
  await expectNoAxeViolations(page);
});

test("the outbox shows an email-link sign-in, and the link signs the user in", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Work email").fill("maya@example.com");
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await page.goto("/outbox");
  await screenshot(page, "outbox");
  await page.getByRole("row").filter({ hasText: "maya@example.com" }).getByRole("link").first().click();
  await expect(page.getByTitle(/Rendered email/)).toBeVisible();
  // The rendered HTML itself, inside the sandboxed frame.
  await expect(page.frameLocator("iframe").getByText(/Sign in to Greenlight at localhost/)).toBeVisible();
  await expect(page.frameLocator("iframe").getByRole("link", { name: "Sign in" })).toBeVisible();
  await screenshot(page, "outbox-message");
  await page.getByTestId("message-link").click();
  await expect(page).toHaveURL(/\/inbox$/);
  await expect(page.getByTestId("current-user")).toHaveText("Maya Lindqvist");
});

test("policies and the audit export are there for admins", async ({ page }) => {
  await signInAs(page, "ada@example.com");
  await page.goto("/admin/policies");
  await expect(page.getByRole("heading", { name: /Production deployments/ })).toBeVisible();
  await screenshot(page, "admin-policies");
  await expectNoAxeViolations(page);
  const csv = await page.request.get("/api/v1/audit/export?format=csv");
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect((await csv.text()).split("\n")[0]).toBe(
    "seq,occurred_at,actor_email,action,entity_type,entity_id,data,prev_hash,hash",
  );
  await signOut(page);
  await signInAs(page, "lee@example.com");
  expect((await page.request.get("/api/v1/audit/export?format=json")).status()).toBe(403);
});
