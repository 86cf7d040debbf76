import "server-only";
import { and, asc, eq, lte, or } from "drizzle-orm";
import type { Db } from "@/db";
import { webhookDeliveries } from "@/db/schema";
import { deliverWebhook, STALE_CLAIM_MS, type DeliverOptions } from "./deliver";
import type { WebhookAttemptRef } from "../audit/queue-webhooks";

/** Deliveries whose next attempt is due, or whose worker died mid-send, oldest first (bounded). */
export async function listDueWebhookDeliveries(db: Db, now: Date, limit = 500): Promise<WebhookAttemptRef[]> {
  return db
    .select({ id: webhookDeliveries.id, attempts: webhookDeliveries.attempts })
    .from(webhookDeliveries)
    .where(
      or(
        and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now)),
        and(
          eq(webhookDeliveries.status, "sending"),
          lte(webhookDeliveries.sendingSince, new Date(now.getTime() - STALE_CLAIM_MS)),
        ),
      ),
    )
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(limit);
}

/** Attempts every due delivery here and now (where no job queue runs: tests, the CLI). */
export async function deliverDueWebhooks(db: Db, options: DeliverOptions = {}) {
  const due = await listDueWebhookDeliveries(db, options.now ?? new Date());
  const results = await Promise.all(due.map((d) => deliverWebhook(db, d.id, options)));
  return { attempted: results.filter(Boolean).length };
}
