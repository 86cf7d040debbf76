// `npm start`: the whole first run in one command. Checks the environment, builds when the source
// changed since the last build, applies migrations, seeds the demo organisation in demo mode, then
// serves on PORT (default 3000). Every step prints what it does and how long it took.
// Emails are rendered here too: run without the react-server condition (see allow-server-only.ts).
import "./allow-server-only";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { migrateDatabase } from "@/db/migrate";
import { closeConnection, getConnection, resolveDatabaseUrl } from "@/lib/db";
import { seedDemoOrganisation } from "@/lib/demo/seed";
import { seedDemoRegistry } from "@/lib/demo/seed-registry";
import { settleDeliveries } from "@/lib/notifications/deliver";
import { ensureDefaultPolicies } from "@/lib/policies/ensure-defaults";
import { envOrExit } from "./env-or-exit";
import { supervise } from "./supervise";

const root = process.cwd();
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const stampFile = path.join(root, ".next", "greenlight-source-stamp");

function step<T>(label: string, work: () => Promise<T> | T): Promise<T> {
  const started = Date.now();
  process.stdout.write(`• ${label}…\n`);
  return Promise.resolve(work()).then((value) => {
    console.log(`  done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return value;
  });
}

/** A fingerprint of everything the build depends on (names, sizes, modification times). */
function sourceStamp(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const s = statSync(full);
        hash.update(`${path.relative(root, full)}:${s.size}:${s.mtimeMs}\n`);
      }
    }
  };
  for (const dir of ["app", "components", "lib", "db/schema", "emails", "public"]) walk(path.join(root, dir));
  for (const file of [
    "package-lock.json",
    "next.config.mjs",
    "tsconfig.json",
    "postcss.config.mjs",
    "instrumentation.ts",
    "instrumentation-client.ts",
    "proxy.ts",
  ]) {
    if (existsSync(file)) hash.update(`${file}:${statSync(file).mtimeMs}\n`);
  }
  return hash.digest("hex");
}

async function main() {
  const env = envOrExit();
  console.log(
    `Greenlight: ${env.embedded ? `embedded PostgreSQL in ${env.dataDir}` : "PostgreSQL from DATABASE_URL"}, ` +
      `mail ${env.resend ? "through Resend" : "to the built-in outbox"}, demo mode ${env.demoMode ? "on" : "off"}`,
  );

  const stamp = sourceStamp();
  const built =
    existsSync(path.join(root, ".next", "BUILD_ID")) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, "utf8") === stamp;
  if (!built) {
    await step("Building the app (next build; about a minute the first time)", () => {
      const result = spawnSync(process.execPath, [nextBin, "build"], {
        stdio: "inherit",
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      });
      if (result.status !== 0) {
        console.error("The build failed (see above).");
        process.exit(1);
      }
      writeFileSync(stampFile, stamp);
    });
  }

  await step("Applying database migrations", async () => {
    const { url, stop } = await resolveDatabaseUrl();
    await migrateDatabase(url).finally(() => stop?.());
  });
  await step("Checking approval policies", async () => {
    const added = await ensureDefaultPolicies((await getConnection()).db);
    console.log(added ? `  added the ${added} default policies` : "  present");
  });
  if (env.demoMode) {
    await step("Seeding the demo organisation", async () => {
      const { db } = await getConnection();
      const { created } = await seedDemoOrganisation(db);
      const requests = await seedDemoRegistry(db);
      console.log(
        created.length || requests
          ? `  added ${created.length} people and teams, ${requests} requests`
          : "  already present",
      );
    });
  }
  // The server must be the only process holding the embedded database: let go of it first.
  await settleDeliveries();
  await closeConnection();

  console.log(`• Serving on ${env.appUrl}` + (env.demoMode ? " (demo mode: pick an account on the sign-in page)" : ""));
  // Supervised (scripts/supervise.ts): a crashed server, or one past its heap limit, starts again.
  const heap = `--max-old-space-size=${env.serverHeapMb}`;
  const server = supervise({
    command: process.execPath,
    args: [heap, nextBin, "start", "-p", String(env.port)],
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_OPTIONS: [process.env.NODE_OPTIONS, heap].filter(Boolean).join(" "),
    },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => void server.stop(signal).then((code) => process.exit(code)));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
