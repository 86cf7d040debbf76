import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { BROWSER_ARGS, findBrowser } from "./tests/e2e/browser";

// The e2e suite drives the production build through `npm start` on its own port and its own fresh
// embedded database, so it never touches a developer's .data folder.
const port = Number(process.env.E2E_PORT ?? 3100);
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), "greenlight-e2e-"));
process.env.E2E_DATA_DIR = dataDir; // workers re-evaluate this file: keep one folder per run
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/e2e-report.json" }]],
  use: {
    baseURL,
    launchOptions: { executablePath: findBrowser(), args: BROWSER_ARGS },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  webServer: {
    command: "npm start",
    url: `${baseURL}/api/health`,
    // A clean production build plus a fresh embedded database: about a minute on an idle 2-core
    // machine, several when it is busy. Waiting longer costs nothing when it is quick.
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(port),
      DATA_DIR: dataDir,
      DEMO_MODE: "true",
      DATABASE_URL: "",
      RESEND_API_KEY: "",
      // The webhook receiver in tests/e2e/webhooks.spec.ts listens on loopback.
      WEBHOOKS_ALLOW_PRIVATE: "true",
    },
  },
});
