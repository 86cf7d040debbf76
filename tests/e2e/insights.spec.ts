import { expect, test } from "./test";
import { expectNoAxeViolations, screenshot, signInAs } from "./helpers";

// Insights on the demo organisation: the bottleneck named in a sentence, what auto-pass saved, the
// charts with their numbers one click away, and the same figures over the API.

test("an admin sees the bottleneck, the saved approvals and the numbers behind each chart", async ({ page }) => {
  await signInAs(page, "ada@example.com");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Insights", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Insights", level: 1 })).toBeVisible();
  await expect(page.getByTestId("bottleneck")).toHaveText(
    /^Bottleneck: Security review holds \d+% of waiting time; median \d+\.\d (hours|days)\.$/,
  );
  await expect(page.getByTestId("saved")).toContainText(/approver time saved \(estimate\)/);
  await expect(page.getByRole("heading", { name: "People" })).toBeVisible();

  const waits = page.getByRole("figure", { name: "Share of waiting time, per step" });
  await expect(waits.getByRole("listitem").first()).toContainText("Security review");
  await waits.getByText("The numbers behind this chart").click();
  await expect(waits.getByRole("table")).toContainText("Manager sign-off");
  await screenshot(page, "insights");
  await expectNoAxeViolations(page);

  // The CSV link serves the same rows.
  const href = await page.getByRole("link", { name: "CSV" }).first().getAttribute("href");
  const csv = await page.request.get(href!);
  expect(csv.headers()["content-type"]).toMatch(/^text\/csv/);
  expect(await csv.text()).toMatch(/^weekStart,requests,/);
});

test("a manager sees their team's figures; filters that do not parse are named", async ({ page }) => {
  await signInAs(page, "maya@example.com");
  await page.goto("/insights?from=2026-02-30&kind=deployment");
  await expect(page.getByText("A day like 2026-11-01.")).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Team" })).toContainText("Fraud");
  await expect(page.getByRole("combobox", { name: "Team" })).not.toContainText("Search");
  await expect(page.getByRole("heading", { name: "People" })).toHaveCount(0); // named people: admins only
  await screenshot(page, "insights-manager");
  await expectNoAxeViolations(page);
});

test("a requester is refused the page and the API", async ({ page }) => {
  await signInAs(page, "alice@example.com");
  expect((await page.goto("/insights"))?.status()).toBe(403);
  expect((await page.request.get("/api/v1/insights/steps")).status()).toBe(403);
});
