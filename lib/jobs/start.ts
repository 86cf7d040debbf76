import "server-only";
import PgBoss from "pg-boss";
import type { Db } from "@/db";
import { checkpointAuditChain } from "../audit/checkpoint-audit-chain";
import { sendDigests } from "../notifications/digest";
import { sendWeeklyInsights } from "../insights/weekly-digest";
import { configuredTransport, type MailTransport } from "../notifications/transports";
import { currentJobQueue, setCurrentJobQueue } from "./current";
import { deliveryBatchHandler } from "./deliver-notification";
import { webhookBatchHandler } from "./deliver-webhook";
import { sweepOutbox } from "./outbox-sweep";
import { syncMlflow } from "../mlflow/sync";
import { processMlflowWriteBacks } from "../mlflow/write-back";
import {
  CHECKPOINT_CRON,
  DELIVERY,
  DIGEST_CRON,
  JOBS_SCHEMA,
  MLFLOW_SYNC_CRON,
  MLFLOW_WRITE_BACK_CRON,
  POLLING_INTERVAL_SECONDS,
  QUEUES,
  SWEEP_CRON,
  WEEKLY_INSIGHTS_CRON,
} from "./queues";
import type { JobQueue } from "./send";
import { logError } from "../log";

export type JobsOptions = {
  /** Work the queues in this process (the server in inline mode, `npm run worker`); false only sends. */
  work: boolean;
  /** The application database the jobs act on. */
  db: Db;
  /** Where mail goes: the configured one (Resend or the outbox) unless given. */
  transport?: MailTransport;
  pollingIntervalSeconds?: number;
  /** When the outbox sweep runs; null: only when a sweep job is sent. */
  sweepCron?: string | null;
  /** When the daily digest runs; null: only when a digest job is sent. */
  digestCron?: string | null;
  /** When the weekly insights email runs; null: only when its job is sent. */
  weeklyInsightsCron?: string | null;
  /** When the audit chain's head is signed; null: only when a checkpoint job is sent. */
  checkpointCron?: string | null;
  /** When the MLflow registry is synced; null: only when a sync job is sent ("Sync now"). */
  mlflowSyncCron?: string | null;
  /** When due MLflow write-backs are retried; null: only when a write-back job is sent. */
  mlflowWriteBackCron?: string | null;
};

/**
 * Starts a pg-boss instance on this database URL (pg-boss creates or migrates its own schema). The
 * embedded database is reached the same way, through the loopback server that holds its folder.
 */
export async function createJobQueue(url: string, options: JobsOptions): Promise<JobQueue> {
  const boss = new PgBoss({
    connectionString: url,
    schema: JOBS_SCHEMA,
    application_name: "greenlight-jobs",
    max: 4,
    // Only working processes keep the queue tidy (expiring jobs of dead workers) and fire the
    // schedule: a send-only web server just inserts jobs.
    supervise: options.work,
    schedule: options.work,
  });
  boss.on("error", (error) => logError("[jobs]", error));
  await boss.start();
  await defineQueues(boss);

  const workerIds: { delivery?: string; webhook?: string } = {};
  const queue: JobQueue = {
    boss,
    wakeDelivery: () => {
      if (workerIds.delivery) boss.notifyWorker(workerIds.delivery);
    },
    wakeWebhooks: () => {
      if (workerIds.webhook) boss.notifyWorker(workerIds.webhook);
    },
    // Graceful: running jobs finish first (anything still running after 30 s is failed and retried).
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 30_000 }),
  };
  if (!options.work) return queue;

  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? POLLING_INTERVAL_SECONDS;
  const transport = () => options.transport ?? configuredTransport();
  workerIds.delivery = await boss.work(
    QUEUES.deliverNotification,
    { batchSize: DELIVERY.batchSize, pollingIntervalSeconds },
    deliveryBatchHandler(queue, options.db, transport),
  );
  workerIds.webhook = await boss.work(
    QUEUES.deliverWebhook,
    { batchSize: DELIVERY.batchSize, pollingIntervalSeconds },
    webhookBatchHandler(queue, options.db),
  );
  await boss.work(QUEUES.outboxSweep, { pollingIntervalSeconds }, async () => {
    await sweepOutbox(queue, options.db);
  });
  const cron = options.sweepCron === undefined ? SWEEP_CRON : options.sweepCron;
  if (cron) await boss.schedule(QUEUES.outboxSweep, cron);
  await boss.work(QUEUES.dailyDigest, { pollingIntervalSeconds }, async () => {
    await sendDigests(options.db);
  });
  const digestCron = options.digestCron === undefined ? DIGEST_CRON : options.digestCron;
  if (digestCron) await boss.schedule(QUEUES.dailyDigest, digestCron);
  await boss.work(QUEUES.weeklyInsights, { pollingIntervalSeconds }, async () => {
    const { sent, week } = await sendWeeklyInsights(options.db);
    if (sent) console.info(`[jobs] weekly insights for ${week.from} sent to ${sent} people`);
  });
  const weeklyCron = options.weeklyInsightsCron === undefined ? WEEKLY_INSIGHTS_CRON : options.weeklyInsightsCron;
  if (weeklyCron) await boss.schedule(QUEUES.weeklyInsights, weeklyCron);
  await boss.work(QUEUES.auditCheckpoint, { pollingIntervalSeconds }, async () => {
    const { created, checkpoint } = await checkpointAuditChain(options.db);
    if (created) console.info(`[jobs] audit checkpoint signed at event #${checkpoint!.seq}`);
  });
  const checkpointCron = options.checkpointCron === undefined ? CHECKPOINT_CRON : options.checkpointCron;
  if (checkpointCron) await boss.schedule(QUEUES.auditCheckpoint, checkpointCron);
  await boss.work(QUEUES.mlflowSync, { pollingIntervalSeconds }, async () => {
    const result = await syncMlflow(options.db);
    if (result.status === "done" && result.imported)
      console.info(`[jobs] MLflow sync imported ${result.imported} versions`);
  });
  const mlflowSyncCron = options.mlflowSyncCron === undefined ? MLFLOW_SYNC_CRON : options.mlflowSyncCron;
  if (mlflowSyncCron) await boss.schedule(QUEUES.mlflowSync, mlflowSyncCron);
  await boss.work(QUEUES.mlflowWriteBack, { pollingIntervalSeconds }, async () => {
    await processMlflowWriteBacks(options.db);
  });
  const writeBackCron =
    options.mlflowWriteBackCron === undefined ? MLFLOW_WRITE_BACK_CRON : options.mlflowWriteBackCron;
  if (writeBackCron) await boss.schedule(QUEUES.mlflowWriteBack, writeBackCron);
  return queue;
}

// Created if missing, then updated, so a changed setting reaches an existing installation.
async function defineQueues(boss: PgBoss) {
  const delivery = {
    name: QUEUES.deliverNotification,
    policy: "short" as const,
    retryLimit: DELIVERY.retryLimit,
    retryDelay: DELIVERY.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: DELIVERY.expireInSeconds,
  };
  // Retries are the delivery row's (lib/webhooks/deliver.ts): each failed attempt sends the next job
  // itself, startAfter its backoff; a job lost meanwhile is found by the sweep.
  const webhook = {
    name: QUEUES.deliverWebhook,
    policy: "short" as const,
    retryLimit: 0,
    expireInSeconds: 2 * 60,
  };
  // A missed sweep is simply the next minute's: no retries; "short" keeps one waiting at most.
  const sweep = { name: QUEUES.outboxSweep, policy: "short" as const, retryLimit: 0, expireInSeconds: 5 * 60 };
  // A failed digest run is worth retrying within the morning: a rerun skips whoever already has theirs.
  const digest = {
    name: QUEUES.dailyDigest,
    policy: "short" as const,
    retryLimit: 3,
    retryDelay: 5 * 60,
    expireInSeconds: 15 * 60,
  };
  // A failed checkpoint (a broken chain it refuses to sign over) fails loudly; the next hour tries again.
  const checkpoint = {
    name: QUEUES.auditCheckpoint,
    policy: "short" as const,
    retryLimit: 0,
    expireInSeconds: 15 * 60,
  };
  // Like the daily digest: worth retrying within the morning; a rerun skips whoever has theirs.
  const weekly = { ...digest, name: QUEUES.weeklyInsights };
  // A sync is resumable and leased (lib/mlflow/sync.ts): a failed run is simply the next one's work;
  // "short" keeps one waiting at most, so "Sync now" pressed twice queues one.
  const mlflowSync = { name: QUEUES.mlflowSync, policy: "short" as const, retryLimit: 0, expireInSeconds: 30 * 60 };
  // Each write-back row keeps its own attempts and backoff; the job only sweeps what is due.
  const mlflowWriteBack = {
    name: QUEUES.mlflowWriteBack,
    policy: "short" as const,
    retryLimit: 0,
    expireInSeconds: 10 * 60,
  };
  for (const { name, ...settings } of [
    delivery,
    webhook,
    sweep,
    digest,
    weekly,
    checkpoint,
    mlflowSync,
    mlflowWriteBack,
  ]) {
    await retryingCreationRace(() => boss.createQueue(name, { name, ...settings }));
    await boss.updateQueue(name, { name, ...settings });
  }
}

// pg-boss creates each queue as a partition of its job table, unlocked: two processes starting
// together on a new database (a web server and its worker) can deadlock or collide there. One of
// them wins; the other, retried, then finds the queue in place.
const CREATION_RACE = new Set(["40P01", "42P07", "23505"]); // deadlock, duplicate table, duplicate key

async function retryingCreationRace(create: () => Promise<void>, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= attempts || typeof code !== "string" || !CREATION_RACE.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
    }
  }
}

// Two callers starting at once must get the same instance, not two.
const STARTING = Symbol.for("greenlight.jobs.starting");
type Starting = { [STARTING]?: Promise<JobQueue> };

/**
 * The process's job queue (one per process; later calls return the first). The server calls it at
 * start: working in inline mode (always when embedded), only sending when WORKER_MODE=separate.
 */
export async function startJobs(url: string, options: JobsOptions): Promise<JobQueue> {
  const running = currentJobQueue();
  if (running) return running;
  const holder = globalThis as Starting;
  holder[STARTING] ??= createJobQueue(url, options)
    .then((queue) => (setCurrentJobQueue(queue), queue))
    .finally(() => delete holder[STARTING]);
  return holder[STARTING];
}

/** Stops the process's job queue, letting running jobs finish; verbs then deliver directly again. */
export async function stopJobs(): Promise<void> {
  const queue = currentJobQueue();
  setCurrentJobQueue(undefined);
  await queue?.stop();
}
