import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

// Playwright cannot download browsers on every machine. Use its own Chromium when installed, else a
// system Chromium or Chrome, else say plainly how to get one.
const SYSTEM_BROWSERS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/snap/bin/chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
];

export function findBrowser(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist.`);
    return fromEnv;
  }
  try {
    const own = chromium.executablePath();
    if (own && existsSync(own)) return undefined; // Playwright's own browser: no override needed
  } catch {
    // not installed
  }
  const system = SYSTEM_BROWSERS.find((p) => existsSync(p));
  if (system) return system;
  throw new Error(
    "No browser for the end-to-end tests. Install one of:\n" +
      "  npx playwright install chromium        (Playwright's own build)\n" +
      "  sudo apt-get install chromium           (Debian/Ubuntu)\n" +
      "or point CHROMIUM_PATH at a Chrome/Chromium executable.",
  );
}

export const BROWSER_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
