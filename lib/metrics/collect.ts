import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db";
import packageJson from "@/package.json";
import { JOBS_SCHEMA } from "../jobs/queues";
import { logError } from "../log";
import { MAX_ATTEMPTS } from "../notifications/deliver";
import type { Family } from "./exposition";
import { apiLatency } from "./request-latency";

// What GET /api/metrics reports. Latency is this process's own (scrape every instance); the queue
// and outbox figures are read from the database at scrape time, so they are the installation's
// whole, whichever instance answers, and a worker needs no HTTP port of its own to be watched.

const JOB_STATES = ["created", "retry", "active", "failed"] as const;
const OUTBOX_STATUSES = ["queued", "sending", "held"] as const;

async function jobQueues(db: Db): Promise<Family> {
  // pg-boss keeps finished jobs for a while: only these states are work waiting, running or given up.
  const found = await rows<{ name: string; state: string; n: number }>(
    db.execute(sql`
      select name, state::text as state, count(*)::int as n from ${sql.identifier(JOBS_SCHEMA)}.job
      where state::text in (${sql.join(
        JOB_STATES.map((s) => sql`${s}`),
        sql`, `,
      )})
      group by name, state`),
  );
  return {
    name: "greenlight_job_queue_jobs",
    help: "Jobs in the pg-boss queue by queue and state (created: waiting; retry: waiting after a failure; active: running; failed: out of retries).",
    type: "gauge",
    samples: found.map((r) => ({ labels: { queue: r.name, state: r.state }, value: r.n })),
  };
}

async function outbox(db: Db): Promise<Family[]> {
  const [counts] = await rows<Record<string, number>>(
    db.execute(sql`
      select
        count(*) filter (where status = 'queued')::int as queued,
        count(*) filter (where status = 'sending')::int as sending,
        count(*) filter (where status = 'held')::int as held,
        count(*) filter (where status = 'failed' and attempts < ${MAX_ATTEMPTS})::int as retrying,
        count(*) filter (where status = 'failed' and attempts >= ${MAX_ATTEMPTS})::int as dead_letter
      from notifications where status in ('queued', 'sending', 'held', 'failed')`),
  );
  const c = counts ?? {};
  return [
    {
      name: "greenlight_notifications_pending",
      help: "Emails in the outbox not yet handed to the mail service, by status (held: waiting for a daily digest).",
      type: "gauge",
      samples: OUTBOX_STATUSES.map((status) => ({ labels: { status }, value: c[status] ?? 0 })),
    },
    {
      name: "greenlight_notification_delivery_failures",
      help: `Emails whose last delivery attempt failed: retrying (attempts left) or dead_letter (all ${MAX_ATTEMPTS} attempts failed; an admin retries them under Admin → Outbox).`,
      type: "gauge",
      samples: [
        { labels: { state: "retrying" }, value: c.retrying ?? 0 },
        { labels: { state: "dead_letter" }, value: c.dead_letter ?? 0 },
      ],
    },
  ];
}

/** Every family, in exposition order. A figure the database cannot give now is left out and logged. */
export async function collectMetrics(db: Db | null): Promise<Family[]> {
  const families: Family[] = [
    {
      name: "greenlight_build_info",
      help: "The running Greenlight version.",
      type: "gauge",
      samples: [{ labels: { version: packageJson.version }, value: 1 }],
    },
    {
      name: "greenlight_process_resident_memory_bytes",
      help: "Resident memory of this process.",
      type: "gauge",
      samples: [{ value: process.memoryUsage().rss }],
    },
    apiLatency().family(),
  ];
  const started = performance.now();
  let up = db ? 1 : 0;
  if (db) {
    for (const read of [async () => [await jobQueues(db)], () => outbox(db)]) {
      try {
        families.push(...(await read()));
      } catch (error) {
        up = 0;
        logError("[metrics] a database figure could not be read:", error);
      }
    }
  }
  families.push(
    {
      name: "greenlight_database_up",
      help: "1 when this scrape read every database figure, 0 when one failed (see the instance's log).",
      type: "gauge",
      samples: [{ value: up }],
    },
    {
      name: "greenlight_metrics_scrape_duration_seconds",
      help: "Time spent reading the database figures for this scrape.",
      type: "gauge",
      samples: [{ value: (performance.now() - started) / 1000 }],
    },
  );
  return families;
}
