import "server-only";
import type { Db } from "@/db";
import { listDeliverable, reclaimAbandonedSends } from "../notifications/abandoned";
import { chaseOverdue } from "../requests/chase-overdue";
import { expireApprovals } from "../requests/expire-approvals";
import { tellPackageDecisions } from "../security/tell-package-decisions";
import { listDueWebhookDeliveries } from "../webhooks/due";
import { sendDeliveries, sendWebhookJobs, withLiveDeliveryJobs, type JobQueue } from "./send";

export type SweepResult = {
  reclaimed: number;
  requeued: number;
  expired: number;
  reminded: number;
  escalated: number;
  expiring: number;
  /** Webhook deliveries whose attempt was due with no job waiting (a lost job, a CLI's event). */
  webhooks: number;
  /** Requesters emailed the package decisions of a finished review session. */
  packageDecisions: number;
};

/**
 * The periodic catch-all (it replaced a 30 s timer in every server): rows a crashed worker left
 * "sending" go back to the queue, mail whose job was lost (a crash between commit and send, a job
 * that expired) is queued again, approvals past their deadline expire, overdue steps are chased, and
 * requesters hear the package decisions of a finished review session. Every step is a
 * conditional update or a deduplicated send, so two sweeps at once do no harm.
 */
export async function sweepOutbox(queue: JobQueue, db: Db, now = new Date()): Promise<SweepResult> {
  const [mail, expiry, chase, webhooks, packageDecisions] = await Promise.allSettled([
    requeueMail(queue, db, now),
    expireApprovals(db, now),
    chaseOverdue(db, now),
    listDueWebhookDeliveries(db, now).then((due) => sendWebhookJobs(queue, due)),
    tellPackageDecisions(db, now),
  ]);
  // One failing must not stop the others; the job still fails so the error is recorded.
  if (mail.status === "rejected") throw mail.reason;
  if (expiry.status === "rejected") throw expiry.reason;
  if (chase.status === "rejected") throw chase.reason;
  if (webhooks.status === "rejected") throw webhooks.reason;
  if (packageDecisions.status === "rejected") throw packageDecisions.reason;
  return {
    ...mail.value,
    expired: expiry.value,
    ...chase.value,
    webhooks: webhooks.value,
    packageDecisions: packageDecisions.value,
  };
}

async function requeueMail(queue: JobQueue, db: Db, now: Date) {
  const reclaimed = await reclaimAbandonedSends(db, now);
  if (reclaimed.length) console.warn(`[jobs] reclaimed ${reclaimed.length} notification(s) abandoned while sending`);
  const waiting = await listDeliverable(db);
  const live = await withLiveDeliveryJobs(queue, waiting);
  const requeued = await sendDeliveries(
    queue,
    waiting.filter((id) => !live.has(id)),
  );
  return { reclaimed: reclaimed.length, requeued };
}
