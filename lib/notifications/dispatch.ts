import "server-only";
import type { Db } from "@/db";
import { deliverSoon, inBackground } from "./deliver";

/** Hands committed notifications to delivery: a job queue's, when one runs in this process. */
export type DeliveryDispatcher = (notificationIds: readonly string[]) => Promise<unknown>;

// Shared by every route bundle through globalThis, as lib/db.ts shares its connection (Next loads
// route modules separately). Set by lib/jobs/start.ts while this process runs a job queue.
const KEY = Symbol.for("greenlight.delivery-dispatcher");
type Holder = { [KEY]?: DeliveryDispatcher };

export function setDeliveryDispatcher(dispatcher: DeliveryDispatcher | undefined): void {
  if (dispatcher) (globalThis as Holder)[KEY] = dispatcher;
  else delete (globalThis as Holder)[KEY];
}

/**
 * After a unit of work commits: hands the notifications it queued to the job queue, or, where none
 * runs in this process (the CLI, tests), sends them directly. Either way the caller does not wait.
 * If the process dies before the jobs are sent, the outbox sweep finds the rows still queued.
 */
export function deliverAfterCommit(db: Db, notificationIds: readonly string[]): void {
  if (notificationIds.length === 0) return;
  const dispatch = (globalThis as Holder)[KEY];
  if (dispatch) inBackground("queueing delivery", () => dispatch(notificationIds));
  else deliverSoon(db);
}
