import type { Page } from "@playwright/test";
import { expect, test } from "./test";
import { expectNoAxeViolations, openNewRequest, screenshot, signInAs, signOut } from "./helpers";

test.describe.configure({ mode: "serial" });

// The demo's Fraud budget this month: $9,400 spent. Maya sets it to $12,000, leaving $2,600: a
// one-GPU month ($1,825) fits and passes by itself; a four-GPU month ($7,300) does not.
let big = "";

async function fileProvisioning(page: Page, title: string, gpus: string, withAnalysis: boolean) {
  await openNewRequest(page);
  await page.getByLabel("What is this request for?").selectOption("provisioning");
  await page.getByLabel("Environment").selectOption("staging");
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Add a resource line" }).click();
  await page.getByLabel("Instance type").fill("p4d.24xlarge");
  await page.getByLabel("GPU type").fill("A100");
  await page.getByLabel("GPUs per node").fill(gpus);
  await page.getByLabel("Price / GPU-hour").fill("2.50");
  await page.getByLabel("Price source").fill("AWS price list");
  if (withAnalysis) {
    await page.getByLabel("Period", { exact: true }).selectOption("month");
    await page.getByLabel("Horizon (months)").fill("12");
    await page.getByRole("button", { name: "Add a benefit" }).click();
    await page.getByLabel("Benefit", { exact: true }).fill("Chargebacks avoided");
    await page.getByLabel("Amount per month").fill("2000");
    await page.getByLabel("From period").fill("2");
    await page.getByLabel("Periods").fill("11");
  }
}

test("maya sets this month's Fraud budget on the Budgets page", async ({ page }) => {
  await signInAs(page, "maya@example.com");
  await page.getByRole("link", { name: "Budgets" }).click();
  await expect(page.getByRole("heading", { name: /Fraud · / })).toBeVisible();
  const form = page.getByRole("form", { name: "Set a budget" });
  await form.getByLabel("Amount").fill("12,000");
  await form.getByRole("button", { name: "Save budget" }).click();
  await expect(page.getByText(/^Budget changed: \$12,000\.00/).first()).toBeVisible();
  await expect(page.getByText("$2,600.00").first()).toBeVisible(); // remaining: 12,000 - 9,400
  await screenshot(page, "budgets-fraud");
  await expectNoAxeViolations(page);
  await signOut(page);
});

test("alice's bad cost input gets field errors; a small in-budget request passes its budget step by itself and says why", async ({
  page,
}) => {
  await signInAs(page, "alice@example.com");
  await fileProvisioning(page, "One A100 for feature backfill", "1.5", false);
  await expect(page.getByText("GPUs are whole devices: enter a whole number.").first()).toBeVisible(); // live, before saving
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.locator("#cost-provisioning-0-gpuCount-error")).toHaveText(
    "GPUs are whole devices: enter a whole number.",
  );
  await page.getByLabel("GPUs per node").fill("1");
  const preview = page.getByRole("list", { name: "Approval chain preview" });
  await expect(preview).toContainText("Budget approval");
  await expect(preview).toContainText("May pass by itself");
  await expect(page.getByRole("table", { name: "Resources" })).toContainText("$1,825.00");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/requests\/\d+$/);
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("Approved", { exact: true }).first()).toBeVisible();
  await expect(
    page.getByText(
      /Passed automatically: Within the team's .* budget: costs \$1,825\.00, \$2,600\.00 of \$12,000\.00 remained \(\$775\.00 after this request\)\./,
    ),
  ).toBeVisible();
  await screenshot(page, "request-budget-auto-passed");
  await expectNoAxeViolations(page);
  await signOut(page);
});

test("alice files a request with a cost-benefit analysis and GPUs; maya sees the cost, NPV and budget impact, and approves", async ({
  page,
}) => {
  await signInAs(page, "alice@example.com");
  await fileProvisioning(page, "Four A100s for the retraining sweep", "4", true);
  const figures = page.getByRole("region", { name: "Figures" });
  await expect(figures.getByRole("table", { name: "Scenarios" })).toContainText("NPV");
  await screenshot(page, "request-new-cost");
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/requests\/\d+$/);
  big = page.url().split("/").pop()!;
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("In review", { exact: true }).first()).toBeVisible();
  await expect(page.getByText(/Not passed automatically: Costs \$7,300\.00; only \$775\.00 remains/)).toBeVisible();
  await signOut(page);

  await signInAs(page, "maya@example.com");
  await page.goto(`/requests/${big}`);
  const cost = page.getByRole("table", { name: "Scenarios" });
  await expect(cost).toContainText("NPV");
  await expect(cost).toContainText("IRR");
  await expect(page.getByText("Total cost $7,300.00 (USD)", { exact: false })).toBeVisible();
  const impact = page.getByText(/Over budget: approving puts Fraud \$6,525\.00 beyond/);
  await expect(impact).toBeVisible();
  await screenshot(page, "request-cost-manager");
  await expectNoAxeViolations(page);
  const form = page.getByRole("form", { name: "Your decision" });
  await form.getByRole("radio", { name: "Approve" }).check();
  await form.getByLabel(/Comment/).fill("Worth it: the sweep pays back within the year.");
  await form.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByText(/^Approved\. The request is now approved\./).first()).toBeVisible();
  await page.getByRole("link", { name: "Budgets" }).click();
  await expect(page.getByRole("table", { name: "Commitments" })).toContainText(`CR-${big}`);
  await screenshot(page, "budgets-after-approval");
});
