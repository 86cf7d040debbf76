import type { Page } from "@playwright/test";
import { expect, test } from "./test";
import { expectNoAxeViolations, openNewRequest, screenshot, signInAs, signOut } from "./helpers";

test.describe.configure({ mode: "serial" });

// The demo's advisories flag jinja2 < 2.10.1 (GHSA-462w-v97r-4m45) and reqeusts (a MAL- record, and a
// typosquat of requests). pandas and torchmetrics are on nobody's allowlist yet.
const RISKY = ["pandas==2.2.0", "torchmetrics==1.4.0", "jinja2==2.10", "reqeusts==2.31.0"].join("\n");
const CLEAN = ["pandas==2.2.0", "torchmetrics==1.4.0"].join("\n");
let first = "";

async function fileAdoption(page: Page, title: string, manifest: string) {
  await openNewRequest(page);
  await page.getByLabel("What is this request for?").selectOption("dependency_adoption");
  await page.getByLabel("Environment").selectOption("production");
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/requests\/\d+$/);
  const number = page.url().split("/").pop()!;
  await page.getByRole("link", { name: "Upload a manifest" }).click();
  await page.getByLabel("Content").fill(manifest);
  await page.getByRole("button", { name: "Check dependencies" }).click();
  await expect(page.getByText(/^Checked \d+ dependencies/).first()).toBeVisible();
  return number;
}

test("alice uploads a manifest: every package is checked; she submits for security review", async ({ page }) => {
  await signInAs(page, "alice@example.com");
  first = await fileAdoption(page, "Adopt torchmetrics for evaluation", RISKY);
  const table = page.getByRole("table", { name: "Dependencies" });
  await expect(table.getByRole("row")).toHaveCount(5);
  const jinja = table.getByRole("row").filter({ hasText: "jinja2" });
  await expect(jinja).toContainText("GHSA-462w-v97r-4m45");
  await expect(jinja).toContainText("Fixed in 2.10.1");
  const typo = table.getByRole("row").filter({ hasText: "reqeusts" });
  await expect(typo).toContainText("Malware");
  await expect(typo).toContainText("typosquat");
  await page.getByRole("link", { name: /^Vulnerable/ }).click();
  await expect(page.getByRole("table", { name: "Dependencies" }).getByRole("row")).toHaveCount(3); // header + jinja2 + reqeusts
  await screenshot(page, "dependencies-requester");
  await expectNoAxeViolations(page);
  await page.goto(`/requests/${first}`);
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("In review", { exact: true }).first()).toBeVisible();
  await expect(page.getByText(/Not passed automatically: 4 of 4 dependencies need review/)).toBeVisible();
  await signOut(page);
});

test("sam reviews it from the security queue: rejects the typosquat, allowlists the rest", async ({ page }) => {
  await signInAs(page, "sam@example.com");
  await page.getByRole("link", { name: "Security" }).click();
  const queue = page.getByRole("table", { name: /Waiting for security/ });
  await expect(queue.getByRole("link", { name: `CR-${first}` })).toBeVisible();
  await screenshot(page, "security-queue");
  await expectNoAxeViolations(page);
  await queue.getByRole("link", { name: `CR-${first}` }).click();
  await expect(page).toHaveURL(new RegExp(`/requests/${first}/dependencies$`));

  const decide = async (
    pkg: string,
    verdict: "approve" | "reject",
    reason: string,
    options: { acceptVulns?: boolean } = {},
  ) => {
    const row = page.getByRole("table", { name: "Dependencies" }).getByRole("row").filter({ hasText: pkg });
    await row.getByText(`Decide ${pkg}`).click();
    const form = row.getByRole("form", { name: `${verdict === "approve" ? "Approve" : "Reject"} ${pkg}` });
    if (options.acceptVulns) await form.getByLabel("Accept its known vulnerabilities too").check();
    await form.getByLabel(verdict === "approve" ? "Reason" : "Why reject").fill(reason);
    await form.getByRole("button", { name: verdict === "approve" ? "Approve and allowlist" : "Reject" }).click();
    await expect(
      page
        .getByText(verdict === "approve" ? `${pkg} approved and added to the allowlist.` : `${pkg} rejected.`)
        .first(),
    ).toBeVisible();
  };
  await screenshot(page, "dependencies-security");
  await expectNoAxeViolations(page);
  // A malware-flagged typosquat offers Reject first; approving it is a deliberate override, for the team by default.
  const risky = page.getByRole("table", { name: "Dependencies" }).getByRole("row").filter({ hasText: "reqeusts" });
  await risky.getByText("Decide reqeusts").click();
  await expect(risky.getByRole("form", { name: "Reject reqeusts" })).toBeVisible();
  await expect(risky.getByRole("button", { name: "Override and allowlist" })).toBeHidden();
  await risky.getByText("Approve anyway (an override)").click();
  await expect(risky.getByLabel("Allow for")).toHaveValue("team");
  await screenshot(page, "dependencies-malware-override");
  await risky.getByText("Approve anyway (an override)").click();
  await risky.getByText("Decide reqeusts").click(); // closed again: the helper opens it itself
  await decide("reqeusts", "reject", "Typosquat of requests with a malware record: use requests.");
  await decide("pandas", "approve", "Standard dataframe library, pinned.");
  await decide("torchmetrics", "approve", "Lightning's metrics library, pinned.");
  await decide("jinja2", "approve", "Templates here are ours, never user input.", { acceptVulns: true });
  const table = page.getByRole("table", { name: "Dependencies" });
  await expect(table.getByRole("row").filter({ hasText: "reqeusts" })).toContainText("Rejected");
  await expect(table.getByRole("row").filter({ hasText: "pandas" })).toContainText("Approved");

  await page.goto("/security/allowlist");
  const entries = page.getByRole("table", { name: "Allowlist entries" });
  await expect(entries.getByRole("row").filter({ hasText: "torchmetrics" })).toContainText("Never used");
  await screenshot(page, "security-allowlist");
  await expectNoAxeViolations(page);

  await page.goto(`/requests/${first}`);
  const form = page.getByRole("form", { name: "Your decision" });
  await form.getByRole("radio", { name: "Reject" }).check();
  await form.getByLabel(/Comment/).fill("reqeusts is a typosquat: replace it with requests and resubmit.");
  await form.getByRole("button", { name: "Reject" }).click();
  await expect(page.getByText(/^Rejected\. The request is now rejected\./).first()).toBeVisible();
  await signOut(page);
});

test("alice's next request with only allowlisted packages passes its security step by itself", async ({ page }) => {
  await signInAs(page, "alice@example.com");
  const number = await fileAdoption(page, "Adopt torchmetrics (clean)", CLEAN);
  await page.goto(`/requests/${number}`);
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("Approved", { exact: true }).first()).toBeVisible();
  await expect(
    page.getByText(
      "Passed automatically: All 2 dependencies are on the security allowlist with no open vulnerability (2 allowlist entries used).",
    ),
  ).toBeVisible();
  await screenshot(page, "request-security-auto-passed");
  await expectNoAxeViolations(page);
});
