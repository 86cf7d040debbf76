import "server-only";
import type { Db } from "@/db";
import { deliverSoon, inBackground } from "../notifications/deliver";
import { sendDeliveries, type JobQueue } from "./send";

// The one job queue this process started (lib/jobs/start.ts), shared by every route bundle through
// globalThis as lib/db.ts shares its connection (Next loads route modules separately).
const KEY = Symbol.for("greenlight.jobs");
type Holder = { [KEY]?: JobQueue };

export function currentJobQueue(): JobQueue | undefined {
  return (globalThis as Holder)[KEY];
}

export function setCurrentJobQueue(queue: JobQueue | undefined): void {
  if (queue) (globalThis as Holder)[KEY] = queue;
  else delete (globalThis as Holder)[KEY];
}

/**
 * After a verb commits: hands the notifications it queued to the job queue, or, where none runs in
 * this process (the CLI, tests), sends them directly. Either way the caller does not wait. If the
 * process dies before the jobs are sent, the outbox sweep finds the rows still queued.
 */
export function deliverAfterCommit(db: Db, notificationIds: readonly string[]): void {
  if (notificationIds.length === 0) return;
  const queue = currentJobQueue();
  if (queue) inBackground("queueing delivery", () => sendDeliveries(queue, notificationIds));
  else deliverSoon(db);
}
