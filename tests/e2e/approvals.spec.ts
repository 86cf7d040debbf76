import type { Page } from "@playwright/test";
import { expect, test } from "./test";
import { expectNoAxeViolations, openNewRequest, screenshot, signInAs, signOut } from "./helpers";

test.describe.configure({ mode: "serial" });

let number = "";
const gate = (page: Page) => page.request.get("/api/v1/gate?model=fraud-detector&version=v1&environment=production");

async function decide(page: Page, who: string, decision: "Approve" | "Request changes" | "Reject", comment = "") {
  await signInAs(page, who);
  await page.goto(`/requests/${number}`);
  const form = page.getByRole("form", { name: "Your decision" });
  await form.getByRole("radio", { name: decision }).check();
  if (comment) await form.getByLabel(/Comment/).fill(comment);
  await form.getByRole("button", { name: decision }).click();
  await expect(
    page.getByText(new RegExp(`^(Approved|Rejected|Changes requested)\\. The request is now`)).first(),
  ).toBeVisible();
  await signOut(page);
}

test("alice files a production request, sees who will approve, and submits it", async ({ page }) => {
  await signInAs(page, "alice@example.com");
  await openNewRequest(page, "/requests/new?version=fraud-detector%40v1");
  await page.getByLabel("Environment").selectOption("production");
  const preview = page.getByRole("list", { name: "Approval chain preview" });
  await expect(preview).toContainText("Stage 1: Security review");
  await expect(preview).toContainText("Stage 1: Manager sign-off");
  await expect(preview).toContainText("Maya Lindqvist");
  await expect(preview).not.toContainText("Mo Haddad"); // the other team's manager
  await expect(preview).toContainText("Stage 2: ML lead approval");
  await expect(preview).toContainText("Asked by Production deployments v1");
  await page.getByLabel("Description (Markdown)").fill("Ship **v1** to production.\n\n<script>alert(1)</script>");
  await screenshot(page, "request-new");
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/requests\/\d+$/);
  number = page.url().split("/").pop()!;
  await expect(page.getByText("Draft", { exact: true })).toBeVisible();
  // Markdown renders; raw HTML does not.
  await expect(page.locator("strong", { hasText: "v1" })).toBeVisible();
  expect(await page.locator("main script").count()).toBe(0);
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("In review", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("form", { name: "Your decision" })).toHaveCount(0); // never on your own request
  // From the app's own origin (the session is refused from anywhere else): the requester rule refuses.
  const own = await page.request.post(`/api/v1/requests/${number}/decisions`, {
    data: { decision: "approve" },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(own.status()).toBe(403);
  expect((await own.json()).detail).not.toMatch(/API token/);
  await screenshot(page, "request-in-review");
  await expectNoAxeViolations(page);
  expect((await gate(page)).status()).toBe(403);
});

test("sam (from the inbox) and maya approve in either order; then lee; the gate opens", async ({ page }) => {
  await signInAs(page, "sam@example.com");
  const waiting = page.getByRole("table", { name: "Waiting for you" });
  await expect(waiting.getByRole("link", { name: `CR-${number}` })).toBeVisible();
  await screenshot(page, "inbox-sam-waiting");
  await expectNoAxeViolations(page);
  await signOut(page);

  await decide(page, "maya@example.com", "Approve", "Budget is fine.");
  await decide(page, "sam@example.com", "Approve");
  await decide(page, "lee@example.com", "Approve");

  await signInAs(page, "lee@example.com");
  const response = await gate(page);
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({
    allowed: true,
    request: { number: `CR-${number}`, status: "approved" },
  });
  await page.goto(`/requests/${number}`);
  await expect(page.getByText("Approved", { exact: true }).first()).toBeVisible();
  await screenshot(page, "request-approved");
});

test("editing the approved request makes revision 2, resets approvals and closes the gate; changes requested", async ({
  page,
}) => {
  await signInAs(page, "alice@example.com");
  await page.goto(`/requests/${number}`);
  await page.getByText("Edit request").click();
  const edit = page.getByRole("form", { name: "Edit request" });
  await edit.getByLabel("Title").fill("Deploy fraud-detector v1 to production (with rollback plan)");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText(/every approval was reset/).first()).toBeVisible();
  await expect(page.getByTestId("revision")).toHaveText("2");
  await expect(page.getByTestId("step-security")).toContainText("0/1");
  expect((await gate(page)).status()).toBe(403);
  await signOut(page);

  await decide(page, "sam@example.com", "Request changes", "Attach the load test.");
  await signInAs(page, "alice@example.com");
  await page.goto(`/requests/${number}`);
  await expect(page.getByText("Changes requested", { exact: true }).first()).toBeVisible();
  await expect(page.getByText("Attach the load test.").first()).toBeVisible();
});

test("a rejection ends the review", async ({ page }) => {
  await signInAs(page, "bob@example.com");
  await page.goto("/requests?status=draft&mine=1");
  await page.getByRole("link", { name: /Deploy search-ranker v2 to staging/ }).click();
  await expect(page).toHaveURL(/\/requests\/\d+$/);
  number = page.url().split("/").pop()!;
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("In review", { exact: true }).first()).toBeVisible();
  await signOut(page);
  await decide(page, "lee@example.com", "Reject", "Latency regression is too large.");
  await signInAs(page, "bob@example.com");
  await page.goto(`/requests/${number}`);
  await expect(page.getByText("Rejected", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText("rejected ML lead review");
});

test("pages for models, versions, requests and settings render and pass axe", async ({ page }) => {
  await signInAs(page, "alice@example.com");
  await page.goto("/models");
  await expect(page.getByRole("link", { name: "fraud-detector" })).toBeVisible();
  await screenshot(page, "models");
  await expectNoAxeViolations(page);
  await page.goto("/models/fraud-detector/versions/v3?compare=v2");
  await expect(page.getByRole("table", { name: "v2 compared with v3" })).toContainText("Changed");
  await screenshot(page, "model-version-diff");
  await expectNoAxeViolations(page);
  await page.goto("/requests");
  await expect(page.getByRole("table", { name: "Change requests" })).toBeVisible();
  await screenshot(page, "requests");
  await expectNoAxeViolations(page);
  await page.goto("/settings");
  await page.getByLabel("Name (what uses it)").fill("ci-deploy");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await page.getByTestId("new-token").textContent();
  expect(token).toMatch(/^glt_/);
  const viaToken = await page.request.get("/api/v1/models", { headers: { authorization: `Bearer ${token}` } });
  expect(viaToken.status()).toBe(200);
  await screenshot(page, "settings");
  await expectNoAxeViolations(page);
});
