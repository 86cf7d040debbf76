import "server-only";
import type PgBoss from "pg-boss";
import { z } from "zod";
import type { Db } from "@/db";
import { deliverWebhook } from "../webhooks/deliver";
import { logError } from "../log";
import { sendWebhookJobs, type JobQueue } from "./send";

const JobData = z.object({ deliveryId: z.uuid() });

/**
 * One attempt on a webhook delivery. A failed attempt with attempts left schedules the next one
 * itself, at the delivery's own backoff (pg-boss's retry would not know the schedule).
 */
export async function runWebhookJob(queue: JobQueue, db: Db, data: unknown): Promise<void> {
  const parsed = JobData.safeParse(data);
  if (!parsed.success) {
    console.error("[jobs] deliver-webhook job without a delivery id:", data);
    return;
  }
  const delivery = await deliverWebhook(db, parsed.data.deliveryId);
  if (delivery?.status === "pending") await sendWebhookJobs(queue, [delivery], delivery.nextAttemptAt);
}

/** Works a batch of webhook jobs at once; each stands alone (one slow receiver delays none of the others'). */
export function webhookBatchHandler(queue: JobQueue, db: Db) {
  return async (jobs: PgBoss.Job<unknown>[]) => {
    await Promise.all(
      jobs.map((job) =>
        runWebhookJob(queue, db, job.data).catch((error: unknown) => logError(`[jobs] webhook job ${job.id}:`, error)),
      ),
    );
  };
}
