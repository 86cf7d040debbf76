// `npm run bench`: Greenlight at scale on PostgreSQL. Seeds a fresh database (default 100k requests,
// 1M audit events, 5k users), serves the production build against it, and prints p50/p95 latency of
// the inbox page, a request page, the decide verb and the insights figures, and gate throughput beside a bare route.
//   npm run bench -- --requests 100000 --audit 1000000 --users 5000 --samples 200 --seconds 10 [--keep]
import "../scripts/allow-server-only";
import { spawn, type ChildProcess } from "node:child_process";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { connect } from "@/db";
import { migrateDatabase } from "@/db/migrate";
import { seedDemoOrganisation } from "@/lib/demo/seed";
import { seedDemoRegistry } from "@/lib/demo/seed-registry";
import { settleDeliveries } from "@/lib/notifications/deliver";
import { ensureDefaultPolicies } from "@/lib/policies/ensure-defaults";
import { createToken } from "@/lib/tokens/create-token";
import { systemActor } from "@/lib/auth/actor";
import { seedAtScale } from "./seed-scale";
import { parseOsvRecord, type OsvRecord } from "@/lib/dependencies/review";
import type { Dependency } from "@/lib/dependencies/manifests";
import { advisoriesFor, storeAdvisories } from "@/lib/security/advisory-store";
import { reviewDependencies } from "@/lib/security/review";
import { DEFAULT_LICENCE_POLICY } from "@/lib/dependencies/review";
import { runDependencyCheckBench, synthesise } from "./dependency-check";
import { irrBenchReport, runIrrBench } from "./irr-worst-case";

const { values: args } = parseArgs({
  options: {
    requests: { type: "string", default: "100000" },
    audit: { type: "string", default: "1000000" },
    users: { type: "string", default: "5000" },
    samples: { type: "string", default: "200" },
    seconds: { type: "string", default: "10" },
    concurrency: { type: "string", default: "8" },
    port: { type: "string", default: "3200" },
    keep: { type: "boolean", default: false },
  },
});
const BASE =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const size = { requests: Number(args.requests), audit: Number(args.audit), users: Number(args.users) };
const samples = Number(args.samples);
const origin = `http://localhost:${args.port}`;

const urlFor = (name: string) => Object.assign(new URL(BASE), { pathname: `/${name}` }).toString();
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const time = async (label: string, work: () => Promise<unknown>) => {
  const t = performance.now();
  await work();
  console.log(`  ${label}: ${((performance.now() - t) / 1000).toFixed(1)}s`);
};

async function signIn(email: string): Promise<string> {
  const csrfRes = await fetch(`${origin}/api/auth/csrf`);
  const cookies = csrfRes.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${origin}/api/auth/callback/demo`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies },
    body: new URLSearchParams({ csrfToken, email }),
  });
  const session = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .find((c) => c.includes("session-token"));
  if (!session) throw new Error(`demo sign-in failed for ${email} (${res.status})`);
  return session;
}

async function latency(label: string, n: number, request: (i: number) => Promise<Response>) {
  const times: number[] = [];
  let errors = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await request(i);
    await res.arrayBuffer();
    times.push(performance.now() - t);
    if (res.status >= 400) errors++;
  }
  return { label, n, p50: pct(times, 50), p95: pct(times, 95), errors };
}

async function throughput(label: string, seconds: number, concurrency: number, request: () => Promise<Response>) {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  let errors = 0;
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        const res = await request();
        await res.arrayBuffer();
        times.push(performance.now() - t);
        if (res.status >= 500) errors++;
        done++;
      }
    }),
  );
  return { label, rps: done / seconds, p50: pct(times, 50), p95: pct(times, 95), errors };
}

async function waitHealthy(server: ChildProcess) {
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) throw new Error("the server exited");
    try {
      if ((await fetch(`${origin}/api/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error("the server did not become healthy");
}

/**
 * Dependency review at the size the issue names: a 1,000-package lockfile against 50,000 advisories,
 * in memory (index + match + typosquats + licences) and through the database (load the packages'
 * records from the advisory store, then review), median of 5 runs each.
 */
async function dependencyCheck(connection: ReturnType<typeof connect>) {
  const memory = runDependencyCheckBench();
  const { records: raw, deps: reviewed } = synthesise();
  const records = raw.map((r) => (parseOsvRecord(r) as { ok: true; record: OsvRecord }).record);
  const t0 = performance.now();
  await connection.db.transaction((tx) => storeAdvisories(tx, records, "bench", new Date()));
  const storeMs = performance.now() - t0;
  const deps = reviewed.map(
    (d) =>
      ({
        ...d,
        extras: [],
        marker: null,
        markerResult: null,
        hashes: [],
        direct: true,
        line: null,
        groups: [],
        build: null,
        channel: null,
      }) as Dependency,
  );
  const runs: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t = performance.now();
    const found = await advisoriesFor(connection.db, deps);
    reviewDependencies(deps, found, DEFAULT_LICENCE_POLICY, "package-lock");
    runs.push(performance.now() - t);
  }
  const median = [...runs.slice(1)].sort((a, b) => a - b)[2]!;
  return [
    `dependency check, ${memory.packages} packages x ${memory.advisories} advisories (budget ${memory.budgetMs} ms):`,
    `  in memory: index ${memory.indexMs} ms + match ${memory.matchMs} ms + typosquats ${memory.typosquatMs} ms + licences ${memory.licenceMs} ms = ${memory.totalMs} ms (cold ${memory.coldTotalMs} ms; index heap ${memory.indexHeapMB} MB)`,
    `  through PostgreSQL: load the packages' records + review = ${median.toFixed(0)} ms (first run ${runs[0]!.toFixed(0)} ms); storing the 50,000 records took ${(storeMs / 1000).toFixed(1)} s`,
  ].join("\n");
}

async function main() {
  const name = `greenlight_bench_${Date.now().toString(36)}`;
  const admin = postgres(BASE, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  const url = urlFor(name);
  console.log(
    `Greenlight benchmark on PostgreSQL (${name}): ${size.requests} requests, ${size.audit} audit events, ${size.users} users`,
  );
  let server: ChildProcess | undefined;
  const connection = connect(url);
  try {
    console.log("• seeding");
    await time("migrate + demo organisation", async () => {
      await migrateDatabase(url);
      await ensureDefaultPolicies(connection.db);
      await seedDemoOrganisation(connection.db);
      await seedDemoRegistry(connection.db);
      await settleDeliveries();
    });
    await time("bulk rows", () => seedAtScale(connection.sql, size));
    const counts =
      await connection.sql`select (select count(*) from change_requests)::int as requests, (select count(*) from audit_events)::int as audit, (select count(*) from users)::int as users`;
    console.log(`  now: ${counts[0]!.requests} requests, ${counts[0]!.audit} audit events, ${counts[0]!.users} users`);
    const lee = (await connection.sql`select id, email from users where email = 'lee@example.com'`)[0]!;
    const { token } = await createToken(
      { db: connection.db, actor: systemActor("bench") },
      { name: "bench", ownerId: lee.id },
    );
    // Staging requests in review wait for an ML lead: lee decides a different one each time.
    const decidable = (
      await connection.sql`select number from change_requests where status = 'in_review' and environment = 'staging' and requested_by <> ${lee.id} order by number desc limit ${samples}`
    ).map((r) => r.number as number);
    const pages = (await connection.sql`select number from change_requests order by random() limit ${samples}`).map(
      (r) => r.number as number,
    );

    console.log("• starting the production server");
    server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        AUTH_SECRET: "bench-secret-bench-secret-bench-secret-01",
        DEMO_MODE: "true",
        PORT: args.port,
        RESEND_API_KEY: "",
      },
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
    });
    await waitHealthy(server);
    const maya = await signIn("maya@example.com");
    const ada = await signIn("ada@example.com");
    const auth = { authorization: `Bearer ${token}` };
    for (let i = 0; i < 10; i++) await (await fetch(`${origin}/inbox`, { headers: { cookie: maya } })).arrayBuffer(); // warm up

    console.log("• measuring");
    const rows = [
      await latency("inbox page (maya, manager)", samples, () =>
        fetch(`${origin}/inbox`, { headers: { cookie: maya } }),
      ),
      await latency("request page", samples, (i) =>
        fetch(`${origin}/requests/${pages[i % pages.length]}`, { headers: { cookie: maya } }),
      ),
      await latency("decide verb (POST /api/v1/.../decisions)", decidable.length, (i) =>
        fetch(`${origin}/api/v1/requests/${decidable[i]}/decisions`, {
          method: "POST",
          headers: { ...auth, "content-type": "application/json" },
          body: JSON.stringify({ decision: "approve" }),
        }),
      ),
    ];
    // Insights: every figure over the default period (the last twelve weeks), organisation-wide as an
    // ML lead sees it, then the whole page as an admin (all figures and the people section).
    for (const figure of ["lead-time", "steps", "sla", "auto-pass", "rework"])
      rows.push(
        await latency(`insights ${figure} (GET /api/v1/insights/…)`, samples, () =>
          fetch(`${origin}/api/v1/insights/${figure}`, { headers: auth }),
        ),
      );
    rows.push(
      await latency("insights page (ada, admin)", Math.min(samples, 50), () =>
        fetch(`${origin}/insights`, { headers: { cookie: ada } }),
      ),
    );
    const seconds = Number(args.seconds);
    const concurrency = Number(args.concurrency);
    const gate = await throughput("gate (GET /api/v1/gate)", seconds, concurrency, () =>
      fetch(`${origin}/api/v1/gate?model=fraud-detector&version=v2&environment=production`, { headers: auth }),
    );
    const bare = await throughput("bare route (GET /api/ping)", seconds, concurrency, () =>
      fetch(`${origin}/api/ping`),
    );

    const deps = await dependencyCheck(connection);

    console.log(`\n${"latency".padEnd(44)} ${"n".padStart(5)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} errors`);
    for (const r of rows)
      console.log(
        `${r.label.padEnd(44)} ${String(r.n).padStart(5)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.errors}`,
      );
    console.log(
      `\n${`throughput (${concurrency} clients, ${seconds}s)`.padEnd(44)} ${"req/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} errors`,
    );
    for (const r of [gate, bare])
      console.log(
        `${r.label.padEnd(44)} ${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.errors}`,
      );
    console.log(`\n${deps}`);
    console.log(`\n${irrBenchReport(runIrrBench())}`);
  } finally {
    if (server?.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    await connection.close();
    if (!args.keep) await admin.unsafe(`drop database if exists ${name} with (force)`);
    else console.log(`kept database ${name}`);
    await admin.end();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
