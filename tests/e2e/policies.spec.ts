import { expect, test } from "./test";
import { expectNoAxeViolations, screenshot, signInAs } from "./helpers";

// The structured policy editor, as an admin uses it: no JSON to write, who could decide each step
// shown as it is edited, steps reordered with the keyboard, a dry run before saving, and the saved
// version read back from the page.
test("an admin edits a policy with fields, dry-runs it and saves a new version", async ({ page }) => {
  await signInAs(page, "ada@example.com");
  await page.goto("/admin/policies");
  const staging = page.getByRole("form", { name: "Edit Staging deployments" });
  await page
    .getByRole("heading", { name: /Staging deployments/ })
    .locator("xpath=ancestor::*[@data-slot='card'][1]")
    .getByText("Edit", { exact: true })
    .click();
  await expect(staging).toBeVisible();

  // Who could decide, counted live against the quorum.
  await expect(staging.getByText(/^1 of \d+ ML leads? needed: .*Lee Tanaka/)).toBeVisible();
  const quorum = staging.getByLabel("Approvals needed");
  await quorum.fill("9");
  await expect(
    staging.getByText(/^9 of \d+ ML leads? needed: .*Too few: this step could never complete\./),
  ).toBeVisible();
  await quorum.fill("1");

  // A second step, added to stage 1, then moved to a stage of its own with the keyboard.
  await staging.getByRole("button", { name: "Add a step to stage 1" }).click();
  const names = staging.getByLabel("Step name");
  await names.nth(1).fill("Security look");
  await staging.getByLabel("Role", { exact: true }).nth(1).selectOption("security");
  await expect(staging.getByText(/^1 of \d+ security reviewers? needed: .*Sam Ferreira/)).toBeVisible();
  await staging.getByRole("button", { name: "Later stage for Security look" }).focus();
  await page.keyboard.press("Enter");
  await expect(staging.getByText("Stage 2", { exact: true }).first()).toBeVisible();
  await expect(staging.getByRole("status")).toHaveText("Security look moved to a later stage.");

  // The JSON stays readable, not editable.
  await staging.getByText("JSON (read-only)").click();
  await expect(staging.getByRole("region", { name: "Staging deployments as JSON" })).toContainText(
    '"name": "Security look"',
  );

  // Dry run: what the draft would have changed on the demo's history.
  await staging.getByLabel("Requests of the last (days)").fill("365");
  await staging.getByRole("button", { name: "Run a dry run" }).click();
  await expect(
    staging.getByText(/requests submitted in the last 365 days would have had a different chain/),
  ).toBeVisible();
  await screenshot(page, "policy-editor");
  await expectNoAxeViolations(page);

  await staging.getByRole("button", { name: /^Save as version \d+$/ }).click();
  await expect(page.getByText(/Policy "Staging deployments" saved as version \d+/).first()).toBeVisible();
  await page.reload();
  const stages = page.getByRole("list", { name: "Staging deployments stages" });
  await expect(stages).toContainText("Stage 2");
  await expect(stages).toContainText("Security look: 1 × Security");
});

test("a new policy with a bad step shows the error at the field", async ({ page }) => {
  await signInAs(page, "ada@example.com");
  await page.goto("/admin/policies");
  const create = page.getByRole("form", { name: "New policy" });
  await create.getByLabel("Name", { exact: true }).fill("Needs five leads");
  await create.getByLabel("Step name").fill("");
  await create.getByLabel("Approvals needed").fill("11");
  await create.getByRole("button", { name: "Create policy" }).click();
  await expect(create.getByText("Name the step.")).toBeVisible();
  await expect(create.getByText("At most 10.")).toBeVisible();
  await screenshot(page, "policy-editor-errors");
});
