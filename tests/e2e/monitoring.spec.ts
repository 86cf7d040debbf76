import { expect, test } from "./test";
import { expectNoAxeViolations, screenshot, signInAs } from "./helpers";

// An admin wires a monitor to Greenlight: reads the Alertmanager snippet, sets what alerts ask for,
// and sees an alert Greenlight could not match listed with its reason.

test("an admin sets up monitoring and sees each alert received with its outcome", async ({ page }) => {
  await signInAs(page, "ada@example.com");
  await page.goto("/admin");
  await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Monitoring" }).click();
  await expect(page.getByRole("heading", { name: "No alerts received yet" })).toBeVisible();
  await expect(page.getByLabel("Alertmanager config")).toContainText("/api/v1/monitoring/alerts");
  await screenshot(page, "admin-monitoring-empty");
  await expectNoAxeViolations(page);

  const form = page.getByRole("form", { name: "Monitoring settings" });
  const actions = form.getByLabel(/Per alert name/);
  await actions.fill("HighErrorRate: sometimes");
  await form.getByRole("button", { name: "Save settings" }).click();
  await expect(form.getByText('HighErrorRate: "sometimes" is not an action; write rollback or retrain.')).toBeVisible();
  await expect(actions).toHaveValue("HighErrorRate: sometimes");
  await actions.fill("HighErrorRate: rollback\nDataDrift: retrain");
  await form.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Monitoring settings saved.").first()).toBeVisible();

  // An alert about a model Greenlight does not know: answered 200 (so Alertmanager stops retrying), and listed.
  const answer = await page.request.post("/api/v1/monitoring/alerts", {
    data: { name: "DataDrift", status: "firing", model: "no-such-model", environment: "production" },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(answer.status()).toBe(200);
  await page.reload();
  const recent = page.getByRole("list", { name: "Recent alerts" });
  await expect(recent).toContainText("DataDrift");
  await expect(recent).toContainText("no-such-model");
  await screenshot(page, "admin-monitoring");
  await expectNoAxeViolations(page);
});
