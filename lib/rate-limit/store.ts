import "server-only";
import { createHash } from "node:crypto";
import type postgres from "postgres";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "@/db";
import { getEnv } from "../env";
import { countedLimits, type LimitName } from "./limits";

// The counts live in one table that rate-limiter-flexible creates itself (CREATE TABLE IF NOT
// EXISTS rate_limits (key varchar(255) primary key, points integer, expire bigint)) and keeps tidy
// (expired rows deleted every 5 minutes). It is not in db/schema: drizzle-kit never diffs a
// database, so the table stays the library's own (docs/adr/0011-rate-limits.md).
const TABLE = "rate_limits";

type PgQuery = { text: string; values?: unknown[]; name?: string };
type PgResult = { rows: Record<string, unknown>[]; rowCount: number };

/**
 * The slice of node-postgres's client that RateLimiterPostgres uses (storeType "client": one
 * `query({ text, values })` answering `{ rows, rowCount }`), over the app's postgres.js pool. The app
 * reaches PostgreSQL and the embedded PGlite server alike through postgres.js, so this one adapter
 * serves both engines. The statement name the library sends (for node-postgres's prepared
 * statements) is not needed: postgres.js plans each statement itself.
 */
export function pgStyleClient(sql: postgres.Sql): { query(q: PgQuery): Promise<PgResult> } {
  return {
    async query({ text, values }) {
      const result = await sql.unsafe(text, (values ?? []) as postgres.ParameterOrJSON<never>[]);
      // expire is a bigint, which arrives as a string; the library does arithmetic with it.
      const rows = result.map((row) =>
        row.expire === null || row.expire === undefined ? { ...row } : { ...row, expire: Number(row.expire) },
      );
      return { rows, rowCount: result.count };
    },
  };
}

type Limiters = Record<LimitName, RateLimiterPostgres>;

// One set per connection pool, shared by every route bundle through globalThis (as lib/db.ts does).
const KEY = Symbol.for("greenlight.rate-limiters");
type Holder = { [KEY]?: WeakMap<postgres.Sql, Promise<Limiters>> };

function limitersFor(db: Db): Promise<Limiters> {
  const holder = globalThis as Holder;
  const sets = (holder[KEY] ??= new WeakMap());
  let pending = sets.get(db.$client);
  if (!pending) {
    pending = openLimiters(db.$client);
    sets.set(db.$client, pending);
    // A failed start (two instances creating the table at once) is retried by the next request.
    pending.catch(() => sets.delete(db.$client));
  }
  return pending;
}

async function openLimiters(sql: postgres.Sql): Promise<Limiters> {
  const storeClient = pgStyleClient(sql);
  const limits = countedLimits(getEnv());
  const names = Object.keys(limits) as LimitName[];
  const options = (name: LimitName) => ({
    storeClient,
    storeType: "client",
    tableName: TABLE,
    keyPrefix: name,
    points: limits[name].points,
    duration: limits[name].durationSeconds,
  });
  // The first limiter creates the table; the others share it, and one sweep of expired rows is enough.
  const first = await new Promise<RateLimiterPostgres>((resolve, reject) => {
    const limiter: RateLimiterPostgres = new RateLimiterPostgres({ ...options(names[0]!) }, (error?: unknown) =>
      error ? reject(error) : resolve(limiter),
    );
  });
  const rest = names
    .slice(1)
    .map((name) => [
      name,
      new RateLimiterPostgres({ ...options(name), tableCreated: true, clearExpiredByTimeout: false }),
    ]);
  return Object.fromEntries([[names[0]!, first], ...rest]) as Limiters;
}

// Keys are hashed: the table holds no email address, IP address or token id in the clear.
const stored = (key: string) => createHash("sha256").update(key).digest("hex");

const seconds = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

export type LimitCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Runs `run` on the limiter; if its table has gone (`db reset` on PostgreSQL while a server runs:
 * undefined_table, 42P01), the set is opened afresh, which creates the table again, and `run` runs once more.
 */
async function withLimiter<T>(db: Db, name: LimitName, run: (limiter: RateLimiterPostgres) => Promise<T>): Promise<T> {
  try {
    return await run((await limitersFor(db))[name]);
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code !== "42P01") throw error;
    (globalThis as Holder)[KEY]?.delete(db.$client);
    return run((await limitersFor(db))[name]);
  }
}

/** Counts one more against `key`; refused once the limit's points are used up in its window. */
export async function consumeLimit(db: Db, name: LimitName, key: string): Promise<LimitCheck> {
  return withLimiter(db, name, async (limiter) => {
    try {
      await limiter.consume(stored(key));
      return { allowed: true };
    } catch (rejection) {
      // The library rejects with a RateLimiterRes when over the limit, with an Error when the store failed.
      if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: seconds(rejection) };
      throw rejection;
    }
  });
}

/** Whether `key` has used up the limit already (nothing is counted): checked before costly work. */
export async function limitReached(db: Db, name: LimitName, key: string): Promise<LimitCheck> {
  return withLimiter(db, name, async (limiter) => {
    const res = await limiter.get(stored(key));
    if (res && res.consumedPoints >= limiter.points) return { allowed: false, retryAfterSeconds: seconds(res) };
    return { allowed: true };
  });
}
