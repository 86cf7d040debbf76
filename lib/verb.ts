import "server-only";
import type { Db, Tx } from "@/db";
import type { Actor } from "./auth/actor";
import { deliverAfterCommit } from "./jobs/current";
import { listQueuedNotifications } from "./notifications/enqueue";

/** What every verb receives: the database, who is acting, and the time (fixed for tests). */
export type VerbContext = { db: Db; actor: Actor; now?: Date };

/**
 * Runs a verb's writes in ONE transaction (change + audit event + queued notifications), then hands
 * the notifications it queued to delivery once they are committed.
 */
export async function inTransaction<T>(ctx: VerbContext, work: (tx: Tx) => Promise<T>): Promise<T> {
  let queued: readonly string[] = [];
  const result = await ctx.db.transaction((tx) => {
    queued = listQueuedNotifications(tx);
    return work(tx);
  });
  deliverAfterCommit(ctx.db, queued);
  return result;
}
