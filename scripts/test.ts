// `npm test`: every check, in the order that fails fastest. Format, typecheck, lint, unit, integration (PGlite
// and PostgreSQL), then the browser tests against the production build. Prints one summary at the end.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";

type Step = { name: string; command: string[]; counts?: () => Counts };
type Counts = { passed: number; failed: number; skipped: number };

const vitestCounts = (): Counts => {
  const file = "test-results/vitest-report.json";
  if (!existsSync(file)) return { passed: 0, failed: 0, skipped: 0 };
  const r = JSON.parse(readFileSync(file, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
};
const playwrightCounts = (): Counts => {
  const file = "test-results/e2e-report.json";
  if (!existsSync(file)) return { passed: 0, failed: 0, skipped: 0 };
  const r = JSON.parse(readFileSync(file, "utf8")) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  };
  return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected, skipped: r.stats.skipped };
};

const steps: Step[] = [
  { name: "format (prettier --check)", command: ["npx", "prettier", "--check", "."] },
  { name: "typecheck", command: ["npx", "tsc", "--noEmit"] },
  { name: "lint", command: ["npx", "eslint", "--max-warnings=0", "."] },
  { name: "unit + integration (vitest)", command: ["npx", "vitest", "run"], counts: vitestCounts },
  { name: "e2e (playwright, production build)", command: ["npx", "playwright", "test"], counts: playwrightCounts },
];

mkdirSync("test-results/screenshots", { recursive: true });
const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const summary: string[] = [];
let failedStep = false;
for (const step of steps) {
  const started = Date.now();
  console.log(`\n━━ ${step.name} ━━`);
  const result = spawnSync(step.command[0]!, step.command.slice(1), {
    stdio: "inherit",
    env: { ...process.env, FORCE_COLOR: process.env.CI ? "0" : "1" },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  const counts = step.counts?.();
  if (counts) {
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  summary.push(
    `${ok ? "✓" : "✗"} ${step.name.padEnd(38)} ${seconds.padStart(6)}s${counts ? `  ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped` : ""}`,
  );
  if (!ok) {
    failedStep = true;
    if (!counts || counts.failed === 0) total.failed += 1; // a failed typecheck/lint/run counts as a failure
    break; // later steps would only repeat the noise
  }
}
console.log(`\n━━ summary ━━\n${summary.join("\n")}`);
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(failedStep ? 1 : 0);
