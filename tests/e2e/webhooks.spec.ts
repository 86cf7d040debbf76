import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "./test";
import { expectNoAxeViolations, screenshot, signInAs } from "./helpers";

// An admin wires a pipeline to Greenlight: adds an endpoint, copies the secret shown once, and sees
// the delivery of a real event (a model version registered) in the endpoint's log, verified by a
// receiver that checks the Standard Webhooks signature with that secret.

test("an admin adds a webhook, copies its secret once, and sees a signed delivery in its log", async ({ page }) => {
  let secret = "";
  const verified: string[] = [];
  const receiver = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const id = String(req.headers["webhook-id"]);
      const content = `${id}.${String(req.headers["webhook-timestamp"])}.${raw}`;
      const expected = createHmac("sha256", Buffer.from(secret.slice(6), "base64"))
        .update(content)
        .digest("base64");
      const ok = String(req.headers["webhook-signature"]).split(" ").includes(`v1,${expected}`);
      if (ok) verified.push(JSON.parse(raw).type);
      res.writeHead(ok ? 204 : 401).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/greenlight`;
  try {
    await signInAs(page, "ada@example.com");
    await page.goto("/admin");
    await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Webhooks" }).click();
    await expect(page.getByRole("heading", { name: "No webhook endpoints yet" })).toBeVisible();
    await screenshot(page, "admin-webhooks-empty");
    await expectNoAxeViolations(page);

    const form = page.getByRole("form", { name: "Add a webhook endpoint" });
    // A bad URL is answered at the field, and what was typed stays.
    await form.getByLabel("Endpoint URL").fill("ftp://ci.example.com/x");
    await form.getByLabel("Description (optional)").fill("Deploy pipeline");
    await form.getByRole("button", { name: "Add endpoint" }).click();
    await expect(form.getByText(/http\(s\) URL/)).toBeVisible();
    await expect(form.getByLabel("Description (optional)")).toHaveValue("Deploy pipeline");

    await form.getByLabel("Endpoint URL").fill(url);
    await form.getByRole("checkbox", { name: /model\.version_registered/ }).check();
    await form.getByRole("button", { name: "Add endpoint" }).click();
    const shown = page.getByTestId("new-webhook-secret");
    await expect(shown).toHaveText(/^whsec_/);
    secret = (await shown.textContent())!.trim();
    await screenshot(page, "admin-webhooks");
    await expectNoAxeViolations(page);

    // An event: a model version registered over the API (the admin's own session).
    const made = await page.request.post("/api/v1/models/fraud-detector/versions", {
      data: {
        version: "e2e-webhook",
        sourceUri: "s3://models/fraud/e2e-webhook",
        framework: "xgboost",
        hyperparameters: {},
        datasetName: "tx",
        datasetVersion: "1",
        metrics: {},
      },
      headers: { origin: new URL(page.url()).origin },
    });
    expect(made.status()).toBe(201);
    await expect.poll(() => verified, { timeout: 60_000 }).toContain("model.version_registered");

    await page.getByRole("link", { name: url }).click();
    await expect(page.getByRole("heading", { name: url })).toBeVisible();
    await expect(page.getByRole("table", { name: "Delivery log" })).toContainText("Delivered");
    await page.getByRole("link", { name: "model.version_registered" }).click();
    await expect(page.getByRole("table", { name: "Attempts" })).toContainText("HTTP 204");
    // The secret is never on the endpoint's page.
    await expect(page.locator("body")).not.toContainText(secret);
    await screenshot(page, "admin-webhook-endpoint");
    await expectNoAxeViolations(page);

    // Redeliver sends the same message again; the receiver sees the same type once more.
    await page.getByRole("button", { name: "Redeliver" }).first().click();
    await expect(page.getByText(/Queued to send again now/).first()).toBeVisible();
    await expect.poll(() => verified.length, { timeout: 60_000 }).toBe(2);

    // Removing asks first and names the consequence.
    await page.getByRole("button", { name: "Remove endpoint" }).click();
    const dialog = page.getByRole("dialog", { name: "Remove this endpoint?" });
    await expect(dialog).toContainText("delivery log is deleted");
    await dialog.getByRole("button", { name: "Remove endpoint" }).click();
    await expect(page.getByText("Endpoint removed with its delivery log.").first()).toBeVisible();
    await expect(page).toHaveURL(/\/admin\/webhooks$/);
    await expect(page.getByRole("heading", { name: "No webhook endpoints yet" })).toBeVisible();
  } finally {
    await new Promise<void>((r) => receiver.close(() => r()));
  }
});
