import "server-only";
import { and, asc, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "@/db";
import { notifications } from "@/db/schema";
import { deliverable } from "./deliver";

// Longer than any honest attempt can take: the transport gives up after 30 s and a job expires
// after 5 minutes (lib/jobs/queues.ts), so a row "sending" for this long lost its worker.
export const ABANDONED_AFTER_MS = 10 * 60_000;

/**
 * Puts back rows a crashed worker left "sending". The attempt still counts (the message may have
 * left: the idempotency key makes the next attempt safe), so a row out of attempts stays failed.
 */
export async function reclaimAbandonedSends(db: Db, now = new Date()) {
  const cutoff = new Date(now.getTime() - ABANDONED_AFTER_MS);
  return (
    db
      .update(notifications)
      .set({
        status: "failed",
        sentAt: null,
        lastError: "The worker stopped while sending; reclaimed by the outbox sweep.",
      })
      // No start time: claimed by a release that did not record one, so by a process long gone.
      .where(
        and(eq(notifications.status, "sending"), or(lt(notifications.sentAt, cutoff), isNull(notifications.sentAt))),
      )
      .returning({ id: notifications.id, attempts: notifications.attempts })
  );
}

/** Notifications still waiting for delivery (queued, or failed with attempts left), oldest first. */
export async function listDeliverable(db: Db, limit = 500): Promise<string[]> {
  const rows = await db
    .select({ id: notifications.id })
    .from(notifications)
    .where(deliverable)
    .orderBy(asc(notifications.createdAt))
    .limit(limit);
  return rows.map((r) => r.id);
}
