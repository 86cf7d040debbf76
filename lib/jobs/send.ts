import "server-only";
import type PgBoss from "pg-boss";
import type { WebhookAttemptRef } from "../audit/queue-webhooks";
import { JOBS_SCHEMA, QUEUES, type DeliverNotificationData, type DeliverWebhookData } from "./queues";

/** A started pg-boss instance and what this process does with it. */
export type JobQueue = {
  readonly boss: PgBoss;
  /** Wakes this process's delivery worker now rather than at its next poll (no-op without one). */
  wakeDelivery(): void;
  /** The same for the webhook worker. */
  wakeWebhooks(): void;
  stop(): Promise<void>;
};

/**
 * Asks for these notifications to be delivered. The singletonKey is the notification id: while a
 * job for it waits, another is not created (the queue's "short" policy), so a double send of the
 * same id (after-commit and the sweep, say) queues it once. Returns how many jobs were created.
 */
export async function sendDeliveries(queue: JobQueue, notificationIds: readonly string[]): Promise<number> {
  let created = 0;
  for (const notificationId of notificationIds) {
    const data: DeliverNotificationData = { notificationId };
    if (await queue.boss.send(QUEUES.deliverNotification, data, { singletonKey: notificationId })) created++;
  }
  if (created) queue.wakeDelivery();
  return created;
}

/**
 * Of these notifications, those with a delivery job still waiting, backing off or running. The
 * sweep leaves them alone: a second job would skip the first one's backoff. (pg-boss documents its
 * job table for direct SQL; the "short" policy alone only guards the waiting state.)
 */
export async function withLiveDeliveryJobs(queue: JobQueue, notificationIds: readonly string[]): Promise<Set<string>> {
  if (notificationIds.length === 0) return new Set();
  const { rows } = await queue.boss.getDb().executeSql(
    `select distinct singleton_key from ${JOBS_SCHEMA}.job
      where name = $1 and state in ('created', 'retry', 'active') and singleton_key = any($2::text[])`,
    [QUEUES.deliverNotification, notificationIds],
  );
  return new Set((rows as { singleton_key: string }[]).map((r) => r.singleton_key));
}

/**
 * Asks for the next attempt on these webhook deliveries (at `startAfter`, or now). The singletonKey
 * is the delivery and its attempt count, so the same attempt is queued once ("short" policy) while a
 * redelivery (a later count) is not held behind a retry waiting hours away; the delivery row's
 * claim decides who actually sends.
 */
export async function sendWebhookJobs(
  queue: JobQueue,
  deliveries: readonly WebhookAttemptRef[],
  startAfter?: Date,
): Promise<number> {
  let created = 0;
  for (const { id, attempts } of deliveries) {
    const data: DeliverWebhookData = { deliveryId: id };
    const options = { singletonKey: `${id}:${attempts}`, ...(startAfter ? { startAfter } : {}) };
    if (await queue.boss.send(QUEUES.deliverWebhook, data, options)) created++;
  }
  if (created && !startAfter) queue.wakeWebhooks();
  return created;
}
