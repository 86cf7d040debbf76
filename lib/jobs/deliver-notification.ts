import "server-only";
import type PgBoss from "pg-boss";
import { z } from "zod";
import type { Db } from "@/db";
import { deliverNotification, isDeadLettered } from "../notifications/deliver";
import type { MailTransport } from "../notifications/transports";
import { DELIVERY, QUEUES } from "./queues";
import type { JobQueue } from "./send";
import { logError } from "../log";

const JobData = z.object({ notificationId: z.uuid() });

/**
 * One delivery attempt. Throws when the attempt failed and the notification has attempts left, so
 * pg-boss retries it with backoff; returns when it was sent, dead-lettered, or not claimable
 * (already sent, or being sent by another worker: the conditional claim decides, not the queue).
 */
export async function runDeliveryJob(db: Db, data: unknown, transport: MailTransport): Promise<void> {
  const parsed = JobData.safeParse(data);
  if (!parsed.success) {
    // Retrying cannot fix a malformed job: let it complete, loudly.
    console.error("[jobs] deliver-notification job without a notification id:", data);
    return;
  }
  const row = await deliverNotification(db, parsed.data.notificationId, transport);
  if (row?.status === "failed" && !isDeadLettered(row)) {
    throw new Error(row.lastError ?? "delivery failed");
  }
  if (row && isDeadLettered(row)) {
    console.warn(`[jobs] notification ${row.id} dead-lettered after ${row.attempts} attempts: ${row.lastError}`);
  }
}

/**
 * Works a batch of delivery jobs at once. Each job succeeds or fails on its own (pg-boss would fail
 * a whole batch together): a failed one is failed here, by id, and the rest complete.
 */
export function deliveryBatchHandler(queue: JobQueue, db: Db, transport: () => MailTransport) {
  return async (jobs: PgBoss.Job<unknown>[]) => {
    await Promise.all(
      jobs.map(async (job) => {
        try {
          await runDeliveryJob(db, job.data, transport());
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          // If even this fails the job stays active until it expires, and is then retried.
          await queue.boss
            .fail(QUEUES.deliverNotification, job.id, { message })
            .catch((e: unknown) => logError(`[jobs] could not fail job ${job.id}:`, e));
        }
      }),
    );
    // A full batch means more may be waiting: fetch again now rather than after the polling pause.
    if (jobs.length >= DELIVERY.batchSize) queue.wakeDelivery();
  };
}
