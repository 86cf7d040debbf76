import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { mlflowConnections, mlflowVersionLinks, mlflowWriteBacks, type MlflowWriteBack } from "@/db/schema";
import { logError } from "../log";
import type { UnitOfWork } from "../verb";
import { MlflowError, setModelVersionTag, setRegisteredModelAlias } from "./client";
import { mlflowDispatcher } from "./dispatch";
import { decisionTags, WRITE_BACK_MAX_ATTEMPTS, writeBackDelayMs } from "./mapping";

/** What MLflow users are told about a version's request. */
export type WriteBackStatus = "approved" | "deployed" | "revoked" | "rolled_back";

/** A claim older than this is presumed dead (the worker crashed mid-call) and taken again. */
const SENDING_STALE_MS = 5 * 60_000;

/**
 * Queues the write-back of a request's new status to MLflow, in the caller's transaction: it is
 * written if and only if the decision commits, and made after the commit by the write-back job.
 * Does nothing for a version not imported from the connected tracking server. `deployedTo` names the
 * environment whose alias (when an admin set one) is pointed at the version.
 */
export async function queueMlflowWriteBack(
  work: UnitOfWork,
  request: { id: string; number: number; modelVersionId: string | null },
  status: WriteBackStatus,
  options: { deployedTo?: string } = {},
): Promise<void> {
  if (!request.modelVersionId) return;
  const [link] = await work.tx
    .select({
      connectionId: mlflowConnections.id,
      aliases: mlflowConnections.aliases,
      mlflowName: mlflowVersionLinks.mlflowName,
      mlflowVersion: mlflowVersionLinks.mlflowVersion,
    })
    .from(mlflowVersionLinks)
    .innerJoin(mlflowConnections, eq(mlflowConnections.id, mlflowVersionLinks.connectionId))
    .where(eq(mlflowVersionLinks.modelVersionId, request.modelVersionId));
  if (!link) return;
  const alias = options.deployedTo ? (link.aliases[options.deployedTo] ?? null) : null;
  await work.tx.insert(mlflowWriteBacks).values({
    connectionId: link.connectionId,
    requestId: request.id,
    requestNumber: request.number,
    mlflowName: link.mlflowName,
    mlflowVersion: link.mlflowVersion,
    status,
    alias,
    nextAttemptAt: work.now,
    createdAt: work.now,
  });
  work.afterCommit(() => void wakeWriteBacks());
}

/** Asks the job queue to run the write-back job now (it also runs every minute). */
export async function wakeWriteBacks(): Promise<void> {
  try {
    await mlflowDispatcher()?.wakeWriteBacks();
  } catch (error) {
    logError("[mlflow] could not queue the write-back job:", error);
  }
}

/**
 * Claims due write-backs, oldest first, and only the oldest unfinished one per version: an
 * "approved" that is backing off is never overtaken by its "deployed", so MLflow ends on the last.
 */
async function claim(db: Db, now: Date, limit: number): Promise<MlflowWriteBack[]> {
  const stale = new Date(now.getTime() - SENDING_STALE_MS);
  return db
    .update(mlflowWriteBacks)
    .set({ state: "sending", sendingSince: now, attempts: sql`${mlflowWriteBacks.attempts} + 1` })
    .where(
      sql`${mlflowWriteBacks.id} in (
        select w.id from mlflow_write_backs w
         where ((w.state = 'pending' and w.next_attempt_at <= ${now.toISOString()}::timestamptz)
                or (w.state = 'sending' and w.sending_since < ${stale.toISOString()}::timestamptz))
           and not exists (
             select 1 from mlflow_write_backs o
              where o.connection_id = w.connection_id and o.mlflow_name = w.mlflow_name
                and o.mlflow_version = w.mlflow_version and o.state in ('pending', 'sending')
                and (o.created_at, o.id) < (w.created_at, w.id))
         order by w.created_at, w.id
         limit ${limit}
         for update skip locked)`,
    )
    .returning();
}

export type WriteBackRun = { done: number; retrying: number; failed: number };

/**
 * Performs due write-backs (the job): the tags `greenlight.request` and `greenlight.status` on the
 * version, then the alias when one is due. Every call is idempotent in MLflow (a tag or alias set
 * again to the same value), so a retry after a partial success is harmless. A failure backs off
 * (30 s doubling, at most an hour) and is given up after WRITE_BACK_MAX_ATTEMPTS, visible on the
 * admin page; the decision it reports was committed long before and never depends on it.
 */
export async function processMlflowWriteBacks(
  db: Db,
  options: { now?: () => Date; limit?: number; signal?: AbortSignal } = {},
): Promise<WriteBackRun> {
  const now = options.now ?? (() => new Date());
  const run: WriteBackRun = { done: 0, retrying: 0, failed: 0 };
  for (let round = 0; round < 50; round++) {
    const claimed = await claim(db, now(), options.limit ?? 20);
    if (claimed.length === 0) break;
    for (const item of claimed) {
      const [connection] = await db.select().from(mlflowConnections).where(eq(mlflowConnections.id, item.connectionId));
      // Disconnected meanwhile: its rows went with it (cascade); nothing to do.
      if (!connection) continue;
      try {
        for (const tag of decisionTags(item.requestNumber, item.status))
          await setModelVersionTag(
            connection,
            { name: item.mlflowName, version: item.mlflowVersion, ...tag },
            options.signal,
          );
        if (item.alias)
          await setRegisteredModelAlias(
            connection,
            { name: item.mlflowName, alias: item.alias, version: item.mlflowVersion },
            options.signal,
          );
        await db
          .update(mlflowWriteBacks)
          .set({ state: "done", doneAt: now(), lastError: null, sendingSince: null })
          .where(and(eq(mlflowWriteBacks.id, item.id), eq(mlflowWriteBacks.state, "sending")));
        run.done++;
      } catch (error) {
        const message = error instanceof MlflowError ? error.message : `Unexpected: ${(error as Error).message}`;
        // A version or model MLflow no longer has will not come back by waiting.
        const hopeless = error instanceof MlflowError && error.code === "RESOURCE_DOES_NOT_EXIST";
        const givingUp = hopeless || item.attempts >= WRITE_BACK_MAX_ATTEMPTS;
        await db
          .update(mlflowWriteBacks)
          .set({
            state: givingUp ? "failed" : "pending",
            lastError: message.slice(0, 1000),
            sendingSince: null,
            nextAttemptAt: new Date(now().getTime() + writeBackDelayMs(item.attempts)),
          })
          .where(and(eq(mlflowWriteBacks.id, item.id), eq(mlflowWriteBacks.state, "sending")));
        if (givingUp) run.failed++;
        else run.retrying++;
      }
    }
  }
  return run;
}
