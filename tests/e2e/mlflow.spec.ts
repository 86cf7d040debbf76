import { FakeMlflow } from "../support/fake-mlflow";
import { expect, test } from "./test";
import { expectNoAxeViolations, screenshot, signInAs } from "./helpers";

// The admin page against the loopback MLflow stand-in: connect (the token never shown again), pick a
// model for a team, Sync now, see the count, disconnect after confirming.
const mlflow = new FakeMlflow();
test.beforeAll(async () => {
  await mlflow.start();
  mlflow.token = "e2e-mlflow-token";
  mlflow.pageCap = 2;
  mlflow.addModel("churn-e2e", 3);
});
test.afterAll(() => mlflow.stop());

test("an admin connects MLflow, picks a model, syncs it and disconnects", async ({ page }) => {
  await signInAs(page, "ada@example.com");
  await page.goto("/admin/mlflow");
  await expect(page.getByText("No MLflow tracking server connected")).toBeVisible();
  await expectNoAxeViolations(page);

  const server = page.getByRole("form", { name: "Tracking server" });
  await server.getByLabel("Address").fill("ftp://mlflow.example.com");
  await server.getByRole("button", { name: "Connect" }).click();
  await expect(server.getByText("Only http and https addresses are fetched.")).toBeVisible();

  await server.getByLabel("Address").fill(mlflow.url);
  await server.getByLabel(/^Token/).fill("e2e-mlflow-token");
  await server.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByText(/Connected to .* \(token set\)/).first()).toBeVisible();
  await page.reload();
  await expect(page.getByText("token set")).toBeVisible();
  await expect(page.getByLabel(/^Token/)).toHaveValue("");
  expect(await page.content()).not.toContain("e2e-mlflow-token");
  await expect(page.getByText("No models picked yet")).toBeVisible();

  const pick = page.getByRole("form", { name: "Pick a model" });
  await pick.getByLabel("MLflow model").selectOption("churn-e2e");
  await pick.getByLabel("Owning team").selectOption({ label: "Fraud" });
  await pick.getByRole("button", { name: "Pick" }).click();
  await expect(page.getByText(/Picked churn-e2e/).first()).toBeVisible();

  await page.getByRole("button", { name: "Sync now" }).click();
  const row = page
    .getByRole("table", { name: "Picked MLflow models" })
    .getByRole("row")
    .filter({ hasText: "churn-e2e" });
  await expect(async () => {
    await page.reload();
    await expect(row.getByRole("cell").nth(2)).toHaveText("3", { timeout: 1000 });
    await expect(page.getByText(/Last sync finished/)).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByText("and imported 3 versions.")).toBeVisible();
  await screenshot(page, "admin-mlflow");
  await expectNoAxeViolations(page);

  await page.getByRole("button", { name: "Disconnect" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Disconnect" }).click();
  await expect(page.getByText("No MLflow tracking server connected")).toBeVisible();
});
