import type postgres from "postgres";
import { JOBS_SCHEMA, QUEUES } from "../../lib/jobs/queues";

export type RetryWait = { notificationId: string; retryCount: number; waitSeconds: number };

/**
 * Brings delivery retries that pg-boss set to wait (its backoff) forward to now, and reports the
 * wait each had been given (start_after minus the failed run's start). Tests see the real backoff
 * settings without sitting them out.
 */
export async function fastForwardRetries(sql: postgres.Sql): Promise<RetryWait[]> {
  const rows = await sql.unsafe<{ singleton_key: string; retry_count: number; wait: number }[]>(
    `with due as (
       select name, id, singleton_key, retry_count, extract(epoch from start_after - started_on)::float8 as wait
       from ${JOBS_SCHEMA}.job
       where name = $1 and state = 'retry' and start_after > now()
       for update
     )
     update ${JOBS_SCHEMA}.job j set start_after = now()
     from due where j.name = due.name and j.id = due.id
     returning due.singleton_key, due.retry_count, due.wait`,
    [QUEUES.deliverNotification],
  );
  return rows.map((r) => ({ notificationId: r.singleton_key, retryCount: r.retry_count, waitSeconds: r.wait }));
}

/** Delivery jobs per state, from pg-boss's own table. */
export async function deliveryJobStates(sql: postgres.Sql): Promise<Record<string, number>> {
  const rows = await sql.unsafe<{ state: string; n: number }[]>(
    `select state::text, count(*)::int as n from ${JOBS_SCHEMA}.job where name = $1 group by state`,
    [QUEUES.deliverNotification],
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/**
 * Polls until `done` holds, calling `tick` between polls. Gives up after `limitMs` (a liveness bound
 * for a hung test, never a speed assertion) and then returns false so the caller's expect fails
 * with the state it reached.
 */
export async function waitUntil(
  done: () => Promise<boolean>,
  options: { tick?: () => Promise<unknown>; limitMs?: number } = {},
): Promise<boolean> {
  const deadline = Date.now() + (options.limitMs ?? 120_000);
  while (Date.now() < deadline) {
    if (await done()) return true;
    await options.tick?.();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return done();
}
