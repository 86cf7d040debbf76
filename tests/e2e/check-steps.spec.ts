import { expect, test } from "./test";
import { expectNoAxeViolations, screenshot, signInAs, signOut } from "./helpers";

// A policy's automated check (ADR 0024) stops a request whose model version misses a threshold, by
// itself, with the figures on the request page; an ML lead overrides it with a reason and the
// request goes on to the people its policies name.

const json = (page: import("@playwright/test").Page) => ({ origin: new URL(page.url()).origin });

test("a failed metric check stops a request by itself; an ML lead overrides it with a reason", async ({ page }) => {
  test.setTimeout(180_000);
  await signInAs(page, "ada@example.com");
  const policy = await page.request.post("/api/v1/policies", {
    data: {
      name: "E2E offline metrics check",
      description: "Staging deployments must reach an AUC of 0.9.",
      active: true,
      definition: {
        conditions: { kinds: ["deployment"], environments: ["staging"] },
        stages: [
          [
            {
              kind: "check",
              name: "Offline metrics",
              role: "ml_lead",
              scope: "any",
              onFail: "reject",
              rules: [{ metric: "auc", op: ">=", value: 0.9 }, { requiredMetrics: ["auc", "recall"] }],
            },
          ],
        ],
      },
    },
    headers: json(page),
  });
  expect(policy.status(), await policy.text()).toBe(201);
  const policyId = ((await policy.json()) as { id: string }).id;

  try {
    const version = await page.request.post("/api/v1/models/fraud-detector/versions", {
      data: {
        version: "e2e-check",
        sourceUri: "s3://models/fraud/e2e-check",
        artifactDigest: `sha256:${"c".repeat(64)}`,
        framework: "xgboost",
        hyperparameters: { depth: 6 },
        datasetName: "tx",
        datasetVersion: "1",
        metrics: { auc: 0.87, recall: 0.8 },
      },
      headers: json(page),
    });
    expect(version.status(), await version.text()).toBe(201);
    await signOut(page);

    await signInAs(page, "alice@example.com");
    const filed = await page.request.post("/api/v1/requests", {
      data: {
        model: "fraud-detector",
        version: "e2e-check",
        environment: "staging",
        title: "Try the e2e-check candidate on staging",
      },
      headers: json(page),
    });
    expect(filed.status(), await filed.text()).toBe(201);
    const number = String(((await filed.json()) as { number: string }).number).replace(/^CR-/, "");
    const submitted = await page.request.post(`/api/v1/requests/${number}/submit`, { data: {}, headers: json(page) });
    expect(submitted.status(), await submitted.text()).toBe(200);
    await signOut(page);

    await signInAs(page, "lee@example.com");
    await page.goto(`/requests/${number}`);
    await expect(page.getByText("Rejected").first()).toBeVisible();
    const check = page.getByTestId("step-check");
    await expect(check).toContainText("Offline metrics");
    await expect(check).toContainText("auc 0.87 < 0.90: >= 0.90 required");
    await expect(check).toContainText("present: auc, recall");
    const form = page.getByRole("form", { name: "Override Offline metrics" });
    await expect(form).toBeVisible();
    await screenshot(page, "request-check-failed");
    await expectNoAxeViolations(page);

    // A reason is required, and said at the field.
    await form.getByLabel(/Why the check should not hold/).fill("too short");
    await form.getByLabel(/Why the check should not hold/).evaluate((el) => el.removeAttribute("minlength"));
    await form.getByRole("button", { name: "Override and continue" }).click();
    await expect(form.getByText(/at least 10 characters/)).toBeVisible();

    await form
      .getByLabel(/Why the check should not hold/)
      .fill("The offline set is a month old; shadow traffic shows 0.92.");
    await form.getByRole("button", { name: "Override and continue" }).click();
    await expect(page.getByText(/Check overridden\. The request is now in review\./).first()).toBeVisible();
    await page.reload();
    await expect(check).toContainText("Overridden by Lee Tanaka");
    await expect(page.getByRole("form", { name: "Override Offline metrics" })).toHaveCount(0);
    await expect(page.getByRole("list", { name: "Timeline" })).toContainText("overrode Offline metrics");
    await screenshot(page, "request-check-overridden");
    await expectNoAxeViolations(page);
    await signOut(page);

    // The policy editor shows the check as a kind of step, its rules one per line; a line that is no
    // rule is said at once.
    await signInAs(page, "ada@example.com");
    await page.goto("/admin/policies");
    await expect(page.getByRole("list", { name: "E2E offline metrics check stages" })).toContainText(
      "Offline metrics: automated check (auc >= 0.9; auc, recall present)",
    );
    const editor = page.getByRole("form", { name: "Edit E2E offline metrics check" });
    // The editor sits in a closed <details> until "Edit" is clicked (a hidden form has no role yet).
    await page
      .locator("details", { has: page.locator('form[aria-label="Edit E2E offline metrics check"]') })
      .locator(":scope > summary")
      .click();
    await expect(editor.getByLabel("Kind of step")).toHaveValue("check");
    const rules = editor.getByLabel(/Rules \(one per line/);
    await expect(rules).toHaveValue("auc >= 0.9\nauc, recall present");
    await rules.fill("auc >= 0.9\nauc is great");
    await expect(editor.getByText(/Line 2 \("auc is great"\) is not a rule/)).toBeVisible();
    await rules.fill("auc >= 0.9\nauc, recall present\nauc no worse than live by 0.05");
    await editor.getByRole("button", { name: /^Save/ }).click();
    await expect(page.getByText(/saved as version 2/).first()).toBeVisible();
    await expect(page.getByRole("list", { name: "E2E offline metrics check stages" })).toContainText(
      "auc no worse than live by 0.05",
    );
    await screenshot(page, "admin-policies-check");
    await expectNoAxeViolations(page);
  } finally {
    // Later specs file staging deployments too: they must not meet this check.
    await page.context().clearCookies();
    await signInAs(page, "ada@example.com");
    const off = await page.request.delete(`/api/v1/policies/${policyId}`, { data: {}, headers: json(page) });
    expect(off.status()).toBeLessThan(300);
  }
});
