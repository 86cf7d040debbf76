import "server-only";
import type { Db, Tx } from "@/db";
import type { Actor } from "./auth/actor";
import { deliverSoon } from "./notifications/deliver";

/** What every verb receives: the database, who is acting, and the time (fixed for tests). */
export type VerbContext = { db: Db; actor: Actor; now?: Date };

/**
 * Runs a verb's writes in ONE transaction (change + audit event + queued notifications), then hands
 * the queued notifications to delivery once they are committed.
 */
export async function inTransaction<T>(ctx: VerbContext, work: (tx: Tx) => Promise<T>): Promise<T> {
  const result = await ctx.db.transaction(work);
  deliverSoon(ctx.db);
  return result;
}
