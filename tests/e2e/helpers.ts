import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

export async function signInAs(page: Page, email: string) {
  await page.goto("/sign-in");
  const row = page.getByRole("list", { name: "Demo accounts" }).getByRole("listitem").filter({ hasText: email });
  await row.getByRole("button", { name: /Sign in as/ }).click();
  await expect(page).toHaveURL(/\/inbox$/);
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

/** A full-page screenshot under test-results/screenshots/, for people to look at. */
export async function screenshot(page: Page, name: string) {
  // Desktop and phone widths: every page is looked at in both (name-1440.png, name-390.png).
  const before = page.viewportSize();
  for (const [width, height] of [
    [1440, 900],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `test-results/screenshots/${name}-${width}.png`, fullPage: true });
  }
  if (before) await page.setViewportSize(before);
}

export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes)`)).toEqual([]);
}

/**
 * Opens the new-request form and waits until React has taken it over: a choice made in the server's
 * HTML before then is reset to the form's defaults when the page hydrates.
 */
export async function openNewRequest(page: Page, path = "/requests/new") {
  await page.goto(path);
  await page.waitForLoadState("networkidle");
}
