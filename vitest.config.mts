import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;
const alias = {
  "@": root,
  "server-only": path.join(root, "tests/support/empty.ts"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    environment: "node",
    // next-auth's ESM imports "next/server" without an extension, which Node's resolver refuses; run
    // through Vite's, it resolves (tests/integration/sso.test.ts drives Auth.js's real handlers).
    server: { deps: { inline: ["next-auth"] } },
    maxWorkers: 2,
    // The app's own settings for tests: never the developer's .data folder or real mail.
    env: {
      DATA_DIR: path.join(os.tmpdir(), "greenlight-vitest"),
      AUTH_SECRET: "vitest-secret-vitest-secret-vitest-secret-0123",
      DATABASE_URL: "",
      RESEND_API_KEY: "",
      MAIL_FROM: "Greenlight <greenlight@test.example>",
      // Suites call many routes with garbage tokens from one (absent) address; the limit itself is
      // tested at its real value in tests/integration/rate-limits.test.ts.
      API_FAILED_TOKENS_PER_IP: "100000",
      // Test receivers listen on loopback; the refusal itself is tested with this turned off.
      WEBHOOKS_ALLOW_PRIVATE: "true",
    },
    reporters: ["default", ["json", { outputFile: "test-results/vitest-report.json" }]],
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "integration-pglite",
          include: ["tests/integration/**/*.test.ts"],
          env: { TEST_ENGINE: "pglite" },
          globalSetup: ["tests/support/global-setup.ts"],
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration-postgres",
          include: ["tests/integration/**/*.test.ts"],
          env: { TEST_ENGINE: "postgres" },
          globalSetup: ["tests/support/global-setup.ts"],
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
