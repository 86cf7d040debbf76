import { expect, test } from "./test";
import { expectNoAxeViolations, screenshot, signInAs, signOut } from "./helpers";

const NAV = ["Inbox", "Requests", "Models", "Environments", "Budgets", "Insights", "Security", "Audit", "Admin"];

// What each demo account must see in the navigation (and nothing else).
const EXPECTED: Record<string, string[]> = {
  "alice@example.com": ["Inbox", "Requests", "Models", "Environments"],
  "maya@example.com": ["Inbox", "Requests", "Models", "Environments", "Budgets", "Insights"],
  "sam@example.com": ["Inbox", "Requests", "Models", "Environments", "Security"],
  "lee@example.com": ["Inbox", "Requests", "Models", "Environments", "Insights"],
  "ada@example.com": [
    "Inbox",
    "Requests",
    "Models",
    "Environments",
    "Budgets",
    "Insights",
    "Security",
    "Audit",
    "Admin",
  ],
};

test("the sign-in page lists the demo accounts and passes axe", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Demo accounts" }).getByRole("listitem")).toHaveCount(9); // with Priya (second Fraud manager) and Kai (second ML lead)
  await screenshot(page, "sign-in");
  await expectNoAxeViolations(page);
});

for (const [email, visible] of Object.entries(EXPECTED)) {
  test(`${email} signs in and sees ${visible.join(", ")}`, async ({ page }) => {
    await signInAs(page, email);
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const label of NAV) {
      const link = nav.getByRole("link", { name: label, exact: true });
      if (visible.includes(label)) await expect(link).toBeVisible();
      else await expect(link).toHaveCount(0);
    }
    await screenshot(page, `inbox-${email.split("@")[0]}`);
    await expectNoAxeViolations(page);
    // Pages outside the role are refused on the server, not just hidden.
    if (!visible.includes("Admin")) {
      const response = await page.goto("/admin/users");
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
    }
    await signOut(page);
  });
}

test("a requester gets 403 from the admin API route, a signed-out caller 401", async ({ page, request }) => {
  const anonymous = await request.get("/api/v1/users");
  expect(anonymous.status()).toBe(401);
  expect(anonymous.headers()["content-type"]).toContain("application/problem+json");

  await signInAs(page, "alice@example.com");
  const origin = new URL(page.url()).origin;
  const asAlice = await page.request.post("/api/v1/users/whoever/roles", {
    data: { role: "admin" },
    headers: { origin },
  });
  expect(asAlice.status()).toBe(403);
  expect(await asAlice.json()).toMatchObject({ title: "Forbidden", detail: "This needs the admin role." });
  // The same session from another origin is refused before any rule is asked.
  const forged = await page.request.post("/api/v1/users/whoever/roles", {
    data: { role: "admin" },
    headers: { origin: "https://evil.example" },
  });
  expect((await forged.json()).detail).toMatch(/API token/);
  const list = await page.request.get("/api/v1/users");
  expect(list.status()).toBe(403);
});

test("every response carries the security headers; pages a per-response CSP nonce; API answers are not cached", async ({
  page,
  request,
}) => {
  const first = await request.get("/sign-in");
  const second = await request.get("/sign-in");
  for (const response of [first, second]) {
    const headers = response.headers();
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["permissions-policy"]).toContain("camera=()");
    expect(headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
    expect(headers["strict-transport-security"]).toBeUndefined(); // served over http here
  }
  const nonce = (r: typeof first) => /'nonce-([^']+)'/.exec(r.headers()["content-security-policy"]!)![1];
  expect(nonce(first)).not.toBe(nonce(second));
  // Next puts that nonce on its scripts.
  expect(await first.text()).toContain(`nonce="${nonce(first)}"`);

  const api = await request.get("/api/v1/models");
  expect(api.status()).toBe(401);
  expect(api.headers()["cache-control"]).toBe("no-store");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");

  // A page on another origin cannot frame the app.
  await page.goto("/sign-in");
  await page.setContent(`<iframe id="f" src="${new URL("/sign-in", page.url()).href}"></iframe>`, {
    waitUntil: "load",
  });
  await expect(page.frameLocator("#f").getByRole("list", { name: "Demo accounts" })).toHaveCount(0);
});
