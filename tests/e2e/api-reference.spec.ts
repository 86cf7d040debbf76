import { expect, test } from "./test";
import { expectNoAxeViolations, screenshot, signInAs } from "./helpers";

// The API reference a developer reads: reached from Settings, rendered from /api/v1/openapi.json
// on the server (nothing fetched from elsewhere), every operation with its fields and answers.

test("a requester finds the API reference from Settings; it lists the operations of the served document", async ({
  page,
}) => {
  const external: string[] = [];
  page.on("request", (r) => {
    if (!r.url().startsWith("http://localhost") && !r.url().startsWith("http://127.0.0.1")) external.push(r.url());
  });
  await signInAs(page, "alice@example.com");
  await page.goto("/settings");
  await page.getByRole("link", { name: "API reference" }).click();
  await expect(page.getByRole("heading", { name: "API reference", level: 1 })).toBeVisible();

  const served = await (await page.request.get("/api/v1/openapi.json")).json();
  const count = Object.values(served.paths as Record<string, object>).reduce((n, m) => n + Object.keys(m).length, 0);
  await expect(page.locator("article")).toHaveCount(count);

  const create = page.locator("article", { has: page.getByRole("heading", { name: "POST /api/v1/requests" }) }).first();
  await expect(create).toContainText("File a change request (a draft)");
  await expect(create.getByRole("region", { name: "Body of POST /api/v1/requests" })).toContainText("digest");
  await expect(create).toContainText("400");
  const gate = page.locator("#getGate");
  await expect(gate).toContainText("waiting");
  await expect(gate.getByRole("region", { name: "Parameters of GET /api/v1/gate" })).toContainText("environment");

  await page.getByRole("link", { name: /^Gate/ }).click();
  await expect(page).toHaveURL(/#gate$/);
  await screenshot(page, "api-reference");
  await expectNoAxeViolations(page);
  expect(external).toEqual([]);
});
