// The embedded database's wire server against @electric-sql/pglite-socket's multiplexer.
//   npm run bench:embedded -- [--runs 3] [--selects 2000] [--transactions 1000]
// Each server gets its own child process (so its RSS is its own) and a fresh PGlite in a temp folder,
// served on 127.0.0.1, reached with postgres.js pooled like the app (db/index.ts: max 10). Figures:
// throughput of simple selects and of short transactions from 10 concurrent callers; correctness (a
// FOR UPDATE counter, isolation between connections, reads and transactions at once, rollbacks,
// errors, vanished clients); RSS. Every loop is bounded and every phase has a deadline, so the script
// always ends by itself. Findings and the decision they support: docs/adr/0001-embedded-postgresql-server.md.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import postgres from "postgres";
import { embeddedUrl } from "../db/embedded";
import { servePglite } from "../db/pglite-server";

const SERVERS = ["ours", "pglite-socket"] as const;
type ServerName = (typeof SERVERS)[number];
const CALLERS = 10;
const COUNTER_INCREMENTS = 50; // per caller: 10 x 50 = 500
const PHASE_DEADLINE_MS = 90_000;
const CHILD_DEADLINE_MS = 10 * 60_000;

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "1" },
    selects: { type: "string", default: "2000" },
    transactions: { type: "string", default: "1000" },
    child: { type: "string" },
  },
});

type Served = { url: string; stop: () => Promise<void> };

async function serve(name: ServerName, db: PGlite): Promise<Served> {
  if (name === "ours") {
    const server = await servePglite(db, { host: "127.0.0.1", port: 0 });
    return { url: embeddedUrl(server.port), stop: server.close };
  }
  // Its default is 1 connection (a second pooled one would be refused); 10 is the pool's size.
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: CALLERS });
  await server.start();
  return { url: `postgres://postgres@${server.getServerConn()}/postgres`, stop: () => server.stop() };
}

/** A check's outcome: passed or not, with what was seen. */
type Check = { ok: boolean; detail: string };
type Figures = {
  server: ServerName;
  selectsPerSecond: number | null;
  selects: Check;
  transactionsPerSecond: number | null;
  transactions: Check;
  counter: Check;
  isolation: Check;
  mixed: Check;
  rollback: Check;
  errorsStayPut: Check;
  vanishedClient: Check;
  rssStartMB: number;
  rssReadyMB: number;
  rssAfterMB: number;
  rssPeakMB: number;
  pgliteOpenSeconds: number;
};

type CheckKey = {
  [K in keyof Figures]: Figures[K] extends Check ? K : never;
}[keyof Figures];

const rssMB = () => Math.round(process.memoryUsage().rss / 1e6);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 160);

function withDeadline<T>(label: string, work: Promise<T>, ms = PHASE_DEADLINE_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: no answer within ${ms / 1000}s`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Runs `total` calls spread over CALLERS concurrent callers; returns seconds taken. */
async function concurrently(total: number, call: (caller: number, i: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CALLERS }, async (_, caller) => {
      for (let i = caller; i < total; i += CALLERS) await call(caller, i);
    }),
  );
  return (performance.now() - started) / 1000;
}

const client = (url: string, max = CALLERS) =>
  postgres(url, {
    max,
    onnotice: () => undefined,
    connect_timeout: 10,
    connection: { application_name: "greenlight-bench" },
  });

// (a) Simple selects. Each returns its own number, so a reply delivered to the wrong caller shows.
async function selects(sql: postgres.Sql, total: number) {
  let wrong = 0;
  let failed = 0;
  let firstError = "";
  const seconds = await concurrently(total, async (_, i) => {
    try {
      const [row] = await sql<{ n: number }[]>`select ${i}::int as n`;
      if (row?.n !== i) wrong++;
    } catch (error) {
      failed++;
      firstError ||= message(error);
    }
  });
  const ok = wrong === 0 && failed === 0;
  return {
    perSecond: total / seconds,
    check: { ok, detail: ok ? `${total} right answers` : `${wrong} wrong, ${failed} failed ${firstError}`.trim() },
  };
}

// (b) Short transactions: begin; insert; update; commit. Afterwards every row exists, updated once.
async function transactions(sql: postgres.Sql, total: number) {
  await sql`create table bench_items (id serial primary key, caller int not null, n int not null)`;
  let failed = 0;
  let firstError = "";
  const seconds = await concurrently(total, async (caller) => {
    try {
      await sql.begin(async (tx) => {
        const [row] = await tx<
          { id: number }[]
        >`insert into bench_items (caller, n) values (${caller}, 0) returning id`;
        await tx`update bench_items set n = n + 1 where id = ${row!.id}`;
      });
    } catch (error) {
      failed++;
      firstError ||= message(error);
    }
  });
  const [stored] = await sql<{ rows: number; updated: number }[]>`
    select count(*)::int as rows, count(*) filter (where n = 1)::int as updated from bench_items`;
  const ok = failed === 0 && stored?.rows === total && stored.updated === total;
  return {
    perSecond: total / seconds,
    check: {
      ok,
      detail: `${stored?.rows} rows, ${stored?.updated} updated once, ${failed} failed ${firstError}`.trim(),
    },
  };
}

// (c) Lost updates: each caller runs 50 transactions that read the counter FOR UPDATE and write
// value + 1 computed here, in the client. Only a lock that really holds makes the total 500.
async function counter(sql: postgres.Sql): Promise<Check> {
  await sql`create table bench_counter (id int primary key, value int not null)`;
  await sql`insert into bench_counter values (1, 0)`;
  let failed = 0;
  let firstError = "";
  await concurrently(CALLERS * COUNTER_INCREMENTS, async () => {
    try {
      await sql.begin(async (tx) => {
        const [row] = await tx<{ value: number }[]>`select value from bench_counter where id = 1 for update`;
        await tx`update bench_counter set value = ${row!.value + 1} where id = 1`;
      });
    } catch (error) {
      failed++;
      firstError ||= message(error);
    }
  });
  const [row] = await sql<{ value: number }[]>`select value from bench_counter where id = 1`;
  const expected = CALLERS * COUNTER_INCREMENTS;
  return {
    ok: row?.value === expected && failed === 0,
    detail: `${row?.value} of ${expected}, ${failed} failed ${firstError}`.trim(),
  };
}

// (c) Isolation: while connection A holds an open transaction with an uncommitted row, connection B
// counts the rows. B may wait for A (the servers take turns per transaction) but must never see the
// row before A commits; after A rolls back, nobody may ever see it.
async function isolation(sql: postgres.Sql): Promise<Check> {
  await sql`create table bench_marks (mark text not null)`;
  const a = await sql.reserve();
  const b = await sql.reserve();
  try {
    const seen: string[] = [];
    for (const ending of ["commit", "rollback"] as const) {
      const mark = `mark-${ending}`;
      await a`begin`;
      await a`insert into bench_marks values (${mark})`;
      let aEnded = false;
      const read = b<{ n: number }[]>`select count(*)::int as n from bench_marks where mark = ${mark}`.then(
        ([row]) => ({ n: row!.n, beforeEnd: !aEnded }),
      );
      await Promise.race([read, sleep(300)]); // give B the chance to run inside A's transaction
      aEnded = true;
      await (ending === "commit" ? a`commit` : a`rollback`);
      const { n, beforeEnd } = await withDeadline("isolation read", read, 10_000);
      const dirty = beforeEnd ? n !== 0 : ending === "rollback" && n !== 0;
      seen.push(`${ending}: B saw ${n} ${beforeEnd ? "while A was open" : "after A ended (it waited)"}`);
      if (dirty) return { ok: false, detail: `dirty read: ${seen.join("; ")}` };
    }
    return { ok: true, detail: seen.join("; ") };
  } finally {
    a.release();
    b.release();
  }
}

// Reads and transactions at once, as in the app (pages read while verbs write): half the callers
// run plain selects, half run transactions that read back what they wrote. Everyone must get their
// own answer, with no errors.
async function mixed(sql: postgres.Sql, total: number): Promise<Check> {
  await sql`create table bench_mixed (id serial primary key, n int not null)`;
  const tally = { emptyReads: 0, wrongReads: 0, wrongReadBacks: 0, failedReads: 0, failedTransactions: 0 };
  let firstError = "";
  await concurrently(total, async (caller, i) => {
    const reader = caller % 2 === 0;
    try {
      if (reader) {
        const [row] = await sql<{ n: number }[]>`select ${i}::int as n`;
        if (!row) tally.emptyReads++;
        else if (row.n !== i) tally.wrongReads++;
      } else {
        await sql.begin(async (tx) => {
          const [row] = await tx<{ id: number }[]>`insert into bench_mixed (n) values (${i}) returning id`;
          const [back] = await tx<{ n: number }[]>`select n from bench_mixed where id = ${row!.id}`;
          if (back?.n !== i) tally.wrongReadBacks++;
        });
      }
    } catch (error) {
      if (reader) tally.failedReads++;
      else tally.failedTransactions++;
      firstError ||= message(error);
    }
  });
  const ok = Object.values(tally).every((n) => n === 0);
  const half = total / 2;
  return {
    ok,
    detail: ok
      ? `${half} reads and ${half} transactions, all right`
      : `of ${half} reads ${tally.emptyReads} came back with no rows, ${tally.wrongReads} with another ` +
        `caller's row, ${tally.failedReads} failed; of ${half} transactions ` +
        `${tally.wrongReadBacks} read back a wrong row, ${tally.failedTransactions} failed (${firstError})`,
  };
}

// (d) A rolled-back transaction leaves nothing: neither one thrown from the client nor one that hit
// an SQL error; and the failed transaction does not leak into the next caller.
async function rollback(sql: postgres.Sql): Promise<Check> {
  await sql`create table bench_rollback (id int primary key)`;
  await sql
    .begin(async (tx) => {
      await tx`insert into bench_rollback values (1), (2)`;
      throw new Error("abandon");
    })
    .catch(() => undefined);
  await sql
    .begin(async (tx) => {
      await tx`insert into bench_rollback values (3)`;
      await tx`insert into bench_rollback values (3)`; // unique violation: the transaction fails
    })
    .catch(() => undefined);
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from bench_rollback`;
  const [after] = await sql<{ ok: number }[]>`select 1 as ok`;
  return {
    ok: row?.n === 0 && after?.ok === 1,
    detail: `${row?.n} rows left; next query ${after?.ok === 1 ? "fine" : "broken"}`,
  };
}

// Errors mixed into concurrent selects: every tenth query fails (division by zero) while nine others
// run. The failure must reach its own caller only, and every other caller get its own answer.
async function errorsStayPut(sql: postgres.Sql, total: number): Promise<Check> {
  let wrong = 0;
  let misplaced = 0;
  let missing = 0;
  await concurrently(total, async (_, i) => {
    const shouldFail = i % 10 === 0;
    try {
      const [row] = await sql<{ n: number }[]>`select ${i}::int / ${shouldFail ? 0 : 1}::int as n`;
      if (shouldFail) missing++;
      else if (row?.n !== i) wrong++;
    } catch {
      if (!shouldFail) misplaced++;
    }
  });
  const ok = wrong === 0 && misplaced === 0 && missing === 0;
  return {
    ok,
    detail: ok
      ? `${total / 10} errors, all with their own caller`
      : `${wrong} wrong answers, ${misplaced} errors at the wrong caller, ${missing} errors lost`,
  };
}

// A client that vanishes inside a transaction: the server must roll it back and let others go on.
async function vanishedClient(url: string): Promise<Check> {
  await (async () => {
    const setup = client(url, 1);
    await setup`create table bench_vanished (id int)`;
    await setup.end({ timeout: 5 });
  })();
  const solo = client(url, 1);
  let inserted!: () => void;
  let letGo!: () => void;
  const insertedOnce = new Promise<void>((resolve) => (inserted = resolve));
  const abandoned = solo
    .begin(async (tx) => {
      await tx`insert into bench_vanished values (1)`;
      inserted();
      await new Promise<void>((resolve) => (letGo = resolve)); // never commits: the socket is cut first
    })
    .catch(() => undefined);
  await withDeadline("vanished insert", insertedOnce, 10_000);
  await solo.end({ timeout: 0 }); // closes the socket with the transaction open
  letGo();
  await withDeadline("vanished client's end", abandoned, 10_000);
  await sleep(100);
  const other = client(url, 1);
  try {
    const [row] = await withDeadline(
      "query after a vanished client",
      other<{ n: number }[]>`select count(*)::int as n from bench_vanished`,
      10_000,
    );
    return { ok: row?.n === 0, detail: `${row?.n} rows of the vanished transaction; others go on` };
  } finally {
    await other.end({ timeout: 5 });
  }
}

async function runChild(name: ServerName): Promise<Figures> {
  const selectCount = Number(args.selects);
  const transactionCount = Number(args.transactions);
  const rssStartMB = rssMB();
  const dir = mkdtempSync(path.join(os.tmpdir(), "greenlight-bench-embedded-"));
  const opened = performance.now();
  const db = await PGlite.create(path.join(dir, "pgdata"));
  const pgliteOpenSeconds = (performance.now() - opened) / 1000;
  const served = await serve(name, db);
  const rssReadyMB = rssMB();
  const notRun: Check = { ok: false, detail: "not run: the server stopped answering" };
  const figures: Figures = {
    server: name,
    selectsPerSecond: null,
    selects: notRun,
    transactionsPerSecond: null,
    transactions: notRun,
    counter: notRun,
    isolation: notRun,
    mixed: notRun,
    rollback: notRun,
    errorsStayPut: notRun,
    vanishedClient: notRun,
    rssStartMB,
    rssReadyMB,
    rssAfterMB: 0,
    rssPeakMB: rssReadyMB,
    pgliteOpenSeconds,
  };
  const sampler = setInterval(() => (figures.rssPeakMB = Math.max(figures.rssPeakMB, rssMB())), 50);
  const sql = client(served.url);
  let stuck = false;
  // One phase at a time; a phase that hangs marks the server stuck and skips the rest.
  const phase = async (key: CheckKey, work: () => Promise<void>) => {
    if (stuck) return;
    try {
      await withDeadline(key, work());
    } catch (error) {
      stuck = /no answer within/.test(message(error));
      figures[key] = { ok: false, detail: message(error) };
    }
  };
  try {
    // Opens the pool's connections before the clock starts.
    await Promise.all(Array.from({ length: CALLERS }, () => sql`select 1`));
    await phase("selects", async () => {
      const result = await selects(sql, selectCount);
      figures.selectsPerSecond = result.perSecond;
      figures.selects = result.check;
    });
    await phase("transactions", async () => {
      const result = await transactions(sql, transactionCount);
      figures.transactionsPerSecond = result.perSecond;
      figures.transactions = result.check;
    });
    await phase("counter", async () => void (figures.counter = await counter(sql)));
    await phase("isolation", async () => void (figures.isolation = await isolation(sql)));
    await phase("mixed", async () => void (figures.mixed = await mixed(sql, 1000)));
    await phase("rollback", async () => void (figures.rollback = await rollback(sql)));
    await phase("errorsStayPut", async () => void (figures.errorsStayPut = await errorsStayPut(sql, 1000)));
    // The pool's 10 connections go first: pglite-socket refuses an eleventh.
    await sql.end({ timeout: 5 });
    await phase("vanishedClient", async () => void (figures.vanishedClient = await vanishedClient(served.url)));
  } finally {
    clearInterval(sampler);
    figures.rssAfterMB = rssMB();
    await sql.end({ timeout: 2 }).catch(() => undefined);
    await served.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

/** One child process per server and run, one at a time (the machine is shared). */
function runInChild(name: ServerName): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        process.argv[1]!,
        "--child",
        name,
        "--selects",
        String(args.selects),
        "--transactions",
        String(args.transactions),
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_DEADLINE_MS);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      if (line) resolve(JSON.parse(line.slice("RESULT ".length)) as Figures);
      else reject(new Error(`${name}: child ended (${signal ?? code}) without a result\n${out}`));
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const fixed = (n: number | null, digits = 0) => (n === null ? "n/a" : n.toFixed(digits));
const verdict = (c: Check) => `${c.ok ? "pass" : "FAIL"}: ${c.detail}`;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(rows[0]!), line(widths.map((w) => "-".repeat(w))), ...rows.slice(1).map(line)].join("\n");
}

function report(title: string, ours: Figures[], socket: Figures[]) {
  const num = (fs: Figures[], pick: (f: Figures) => number | null) => {
    const xs = fs.map(pick).filter((x): x is number => x !== null);
    return xs.length ? median(xs) : null;
  };
  const checks = (fs: Figures[], pick: (f: Figures) => Check) => {
    const all = fs.map(pick);
    const failed = all.find((c) => !c.ok);
    return verdict(failed ?? all[0]!);
  };
  // The ratio is the median of each run's own ratio: the machine's speed changes between runs.
  const figure = (label: string, pick: (f: Figures) => number | null, digits = 0): string[] => {
    const ratios = ours
      .map((f, i) => [pick(f), pick(socket[i]!)] as const)
      .filter((pair): pair is readonly [number, number] => pair[0] !== null && pair[1] !== null && pair[1] !== 0)
      .map(([a, b]) => a / b);
    return [
      label,
      fixed(num(ours, pick), digits),
      fixed(num(socket, pick), digits),
      ratios.length ? median(ratios).toFixed(2) : "n/a",
    ];
  };
  const rows: string[][] = [
    ["", "ours (db/pglite-server.ts)", "pglite-socket 0.2.17", "ours / socket"],
    figure(`(a) selects/s, ${CALLERS} callers, ${args.selects} queries`, (f) => f.selectsPerSecond),
    figure(`(b) transactions/s, ${CALLERS} callers, ${args.transactions} txs`, (f) => f.transactionsPerSecond),
    figure("(e) RSS at start, MB", (f) => f.rssStartMB),
    figure("(e) RSS with PGlite open and served, MB", (f) => f.rssReadyMB),
    figure("(e) RSS peak during the checks, MB", (f) => f.rssPeakMB),
    figure("(e) RSS after the checks, MB", (f) => f.rssAfterMB),
    figure("(e) RSS change during the checks, MB", (f) => f.rssAfterMB - f.rssReadyMB),
    figure("fresh PGlite open, s", (f) => f.pgliteOpenSeconds, 1),
  ];
  const checkRows: string[][] = [
    ["check", "ours", "pglite-socket"],
    ["(a) every select got its own answer", checks(ours, (f) => f.selects), checks(socket, (f) => f.selects)],
    ["(b) every transaction stored", checks(ours, (f) => f.transactions), checks(socket, (f) => f.transactions)],
    ["(c) FOR UPDATE counter = 500", checks(ours, (f) => f.counter), checks(socket, (f) => f.counter)],
    ["(c) isolation: no dirty read, no error", checks(ours, (f) => f.isolation), checks(socket, (f) => f.isolation)],
    ["reads and transactions mixed", checks(ours, (f) => f.mixed), checks(socket, (f) => f.mixed)],
    ["(d) rollback leaves nothing", checks(ours, (f) => f.rollback), checks(socket, (f) => f.rollback)],
    ["errors stay with their caller", checks(ours, (f) => f.errorsStayPut), checks(socket, (f) => f.errorsStayPut)],
    ["vanished client is rolled back", checks(ours, (f) => f.vanishedClient), checks(socket, (f) => f.vanishedClient)],
  ];
  console.log(`\n${title}\n${table(rows)}\n\n${table(checkRows)}`);
}

async function main() {
  if (args.child) {
    const name = args.child as ServerName;
    if (!SERVERS.includes(name)) throw new Error(`unknown server ${name}`);
    const figures = await runChild(name);
    console.log(`RESULT ${JSON.stringify(figures)}`);
    process.exit(0);
  }
  const runs = Number(args.runs);
  const results: Record<ServerName, Figures[]> = { ours: [], "pglite-socket": [] };
  for (let run = 1; run <= runs; run++) {
    // Alternate which server goes first, so a machine that slows down over time favours neither.
    for (const name of run % 2 ? SERVERS : [...SERVERS].reverse()) {
      process.stderr.write(`run ${run}/${runs}: ${name}…\n`);
      results[name].push(await runInChild(name));
    }
    report(`Run ${run}`, results.ours.slice(-1), results["pglite-socket"].slice(-1));
  }
  if (runs > 1)
    report(
      `Median of ${runs} runs (ratio: median of the runs' ratios; a check fails if it failed in any run)`,
      results.ours,
      results["pglite-socket"],
    );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
