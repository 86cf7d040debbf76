import { MAX_ATTEMPTS } from "../notifications/deliver";

// Every queue the app uses, and how each behaves. pg-boss keeps its own tables in this schema and
// creates or migrates them itself when a queue starts (never through drizzle).
export const JOBS_SCHEMA = "pgboss";

export const QUEUES = {
  /** One notification to send; data { notificationId }, singletonKey = the notification id. */
  deliverNotification: "deliver-notification",
  /** One webhook delivery attempt; data { deliveryId }, singletonKey = the delivery id. */
  deliverWebhook: "deliver-webhook",
  /** Periodic: reclaims abandoned sends, re-queues undelivered mail, expires lapsed approvals. */
  outboxSweep: "outbox-sweep",
  /** Daily: one digest email per person with mail held for it (lib/notifications/digest.ts). */
  dailyDigest: "daily-digest",
  /** Weekly: last week's insights to admins and ML leads (lib/insights/weekly-digest.ts). */
  weeklyInsights: "weekly-insights",
  /** Hourly: signs the audit chain's head if it moved (lib/audit/checkpoint-audit-chain.ts, ADR 0009). */
  auditCheckpoint: "audit-checkpoint",
  /** Periodic and on demand: imports new versions of the picked MLflow models (lib/mlflow/sync.ts). */
  mlflowSync: "mlflow-sync",
  /** Every minute and after each decision: tags and aliases written back to MLflow (lib/mlflow/write-back.ts). */
  mlflowWriteBack: "mlflow-write-back",
} as const;

export type DeliverNotificationData = { notificationId: string };
export type DeliverWebhookData = { deliveryId: string };

export const DELIVERY = {
  // Each run is one attempt on the notification, so the job runs at most MAX_ATTEMPTS times; the
  // notification row stays the judge (a run never claims a row that is out of attempts).
  retryLimit: MAX_ATTEMPTS - 1,
  // Doubles per retry with jitter (30-60 s, 1-2 min, 2-4 min, 4-8 min): a provider outage of a
  // few minutes costs no mail, and a dead letter is declared within about a quarter of an hour.
  retryDelaySeconds: 30,
  // A run that has not finished by then is presumed dead and retried. Far above the transport's
  // timeout (30 s) and below the outbox sweep's reclaim age (10 min), so the three never overlap.
  expireInSeconds: 5 * 60,
  // Jobs fetched per poll and sent concurrently.
  batchSize: 10,
} as const;

/** How often the outbox sweep runs: every minute (pg-boss fires each cron once across instances). */
export const SWEEP_CRON = "* * * * *";

/**
 * When the daily digest goes out: 07:00 UTC, before the working day in Europe and after it in Asia.
 * A second run the same day sends nothing new (one digest per person per UTC day).
 */
export const DIGEST_HOUR_UTC = 7;
export const DIGEST_CRON = `0 ${DIGEST_HOUR_UTC} * * *`;

/**
 * When the weekly insights email goes out: Mondays at the daily digest's hour, covering the ISO week
 * that just ended. A second run the same week sends nothing new (one per person per week).
 */
export const WEEKLY_INSIGHTS_CRON = `0 ${DIGEST_HOUR_UTC} * * 1`;

/**
 * When the audit chain's head is signed: hourly, at a quarter past (off the top of the hour, where
 * the other schedules sit). A tail deleted since the last checkpoint goes unnoticed, so this bounds
 * what a deletion can hide to about an hour of events; an idle hour signs nothing.
 */
export const CHECKPOINT_CRON = "15 * * * *";

/**
 * When the MLflow registry is read for new versions: every 15 minutes (at 5, 20, 35, 50, off the
 * hour's other schedules). "Sync now" on the admin page and the CLI do not wait for it.
 */
export const MLFLOW_SYNC_CRON = "5,20,35,50 * * * *";

/** When due MLflow write-backs are retried; a decision also wakes the job at once. */
export const MLFLOW_WRITE_BACK_CRON = "* * * * *";

/** How often an idle worker looks for new jobs; a send in the same process wakes it at once. */
export const POLLING_INTERVAL_SECONDS = 2;
