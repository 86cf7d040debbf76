import "server-only";
import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "@/db";
import {
  mlflowConnections,
  mlflowModels,
  mlflowVersionLinks,
  models,
  modelVersions,
  type MlflowModel,
} from "@/db/schema";
import { systemActor, type Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { inUnitOfWork } from "../verb";
import {
  getRun,
  MAX_PAGES,
  MlflowError,
  searchModelVersions,
  type MlflowModelVersion,
  type MlflowRun,
  type MlflowTarget,
} from "./client";
import { loadConnection } from "./connection";
import { importedVersion, isImportable, type ImportedVersion } from "./mapping";

/** How long a sync may go without finishing a page before another may take over (a crashed one). */
export const SYNC_LEASE_MS = 5 * 60_000;
/** Versions asked per page (a server may send fewer, and says so with next_page_token). */
export const SYNC_PAGE_SIZE = 100;

export type SyncOptions = {
  /** Used for this run instead of the saved token (the CLI's --token); never saved. */
  token?: string;
  /** Only these picked models (MLflow names); all picked ones when absent. */
  models?: string[];
  pageSize?: number;
  actor?: Actor;
  signal?: AbortSignal;
  /** Told after each committed page (the CLI prints it). */
  onPage?: (progress: { model: string; page: number; imported: number }) => void;
};

export type ModelSyncResult = { mlflowName: string; imported: number; skipped: string[]; error: string | null };
export type SyncResult =
  | { status: "not_connected" }
  | { status: "busy"; since: Date | null }
  | { status: "done"; imported: number; models: ModelSyncResult[]; unknown: string[] };

/**
 * Imports every new version of the picked models (the job every 15 minutes, "Sync now", the CLI).
 * Idempotent: a version already linked is skipped, so a rerun imports only what is new. Resumable:
 * each page's versions and the token of the next page commit together, so a run that dies resumes
 * at the page it was on. One run at a time: a lease on the connection row, renewed per page.
 * MLflow is asked outside any transaction; each page's writes are one short unit of work.
 */
export async function syncMlflow(db: Db, options: SyncOptions = {}): Promise<SyncResult> {
  const connection = await loadConnection(db);
  if (!connection) return { status: "not_connected" };
  const now = () => new Date();
  const [leased] = await db
    .update(mlflowConnections)
    .set({
      syncLeaseUntil: new Date(now().getTime() + SYNC_LEASE_MS),
      syncStartedAt: now(),
      syncProgress: { model: null, pages: 0, imported: 0 },
    })
    .where(
      and(
        eq(mlflowConnections.id, connection.id),
        or(isNull(mlflowConnections.syncLeaseUntil), lt(mlflowConnections.syncLeaseUntil, now())),
      ),
    )
    .returning({ id: mlflowConnections.id });
  if (!leased) return { status: "busy", since: connection.syncStartedAt };

  const target: MlflowTarget = { url: connection.url, token: options.token ?? connection.token };
  const actor = options.actor ?? systemActor("mlflow-sync");
  const picked = await db.select().from(mlflowModels).where(eq(mlflowModels.connectionId, connection.id));
  const wanted = options.models ? picked.filter((m) => options.models!.includes(m.mlflowName)) : picked;
  const unknown = (options.models ?? []).filter((name) => !picked.some((m) => m.mlflowName === name));
  const results: ModelSyncResult[] = [];
  const progress = { model: null as string | null, pages: 0, imported: 0 };
  try {
    for (const model of wanted) {
      const result = await syncModel(db, connection.id, connection.url, target, model, actor, options, progress);
      results.push(result);
    }
  } finally {
    const failed = results.filter((r) => r.error);
    await db
      .update(mlflowConnections)
      .set({
        syncLeaseUntil: null,
        syncFinishedAt: now(),
        syncProgress: { ...progress, model: null },
        lastSyncError: failed.length
          ? failed
              .map((r) => `${r.mlflowName}: ${r.error}`)
              .join("; ")
              .slice(0, 2000)
          : null,
      })
      .where(eq(mlflowConnections.id, connection.id));
  }
  return { status: "done", imported: progress.imported, models: results, unknown };
}

type Prepared = { version: MlflowModelVersion; value: ImportedVersion };

async function syncModel(
  db: Db,
  connectionId: string,
  trackingUrl: string,
  target: MlflowTarget,
  model: MlflowModel,
  actor: Actor,
  options: SyncOptions,
  progress: { model: string | null; pages: number; imported: number },
): Promise<ModelSyncResult> {
  const result: ModelSyncResult = { mlflowName: model.mlflowName, imported: 0, skipped: [], error: null };
  let pageToken = model.pageToken;
  let restarted = false;
  let lastRenewal = Date.now();
  progress.model = model.mlflowName;
  try {
    for (let page = 1; page <= MAX_PAGES; page++) {
      let found;
      try {
        found = await searchModelVersions(target, model.mlflowName, {
          pageToken,
          maxResults: options.pageSize ?? SYNC_PAGE_SIZE,
          signal: options.signal,
        });
      } catch (error) {
        // A saved token MLflow no longer accepts (the server restarted, say): start the pass again.
        if (error instanceof MlflowError && error.code === "INVALID_PARAMETER_VALUE" && pageToken && !restarted) {
          restarted = true;
          pageToken = null;
          page--;
          continue;
        }
        throw error;
      }
      const candidates = found.items.filter(isImportable);
      const labels = candidates.map((v) => v.version!);
      const known = labels.length
        ? new Set(
            (
              await db
                .select({ v: mlflowVersionLinks.mlflowVersion })
                .from(mlflowVersionLinks)
                .where(
                  and(
                    eq(mlflowVersionLinks.connectionId, connectionId),
                    eq(mlflowVersionLinks.mlflowName, model.mlflowName),
                    inArray(mlflowVersionLinks.mlflowVersion, labels),
                  ),
                )
            ).map((r) => r.v),
          )
        : new Set<string>();
      const prepared: Prepared[] = [];
      for (const version of candidates.filter((v) => !known.has(v.version!))) {
        // A page of slow runs/get calls must not outlast the lease: renewed at most once a minute.
        if (Date.now() - lastRenewal > 60_000) {
          await renewLease(db, connectionId);
          lastRenewal = Date.now();
        }
        const run = await runOf(target, version, options.signal);
        const mapped = importedVersion(version, run);
        if (mapped.ok) prepared.push({ version, value: mapped.value });
        else result.skipped.push(mapped.problem);
      }
      const next = found.nextPageToken;
      const imported = await inUnitOfWork(db, async ({ tx, now }) => {
        // Unpicked or disconnected meanwhile: write nothing for it.
        const [still] = await tx
          .select({ id: mlflowModels.id })
          .from(mlflowModels)
          .where(eq(mlflowModels.id, model.id))
          .for("update");
        if (!still) return null;
        const [owner] = await tx.select({ name: models.name }).from(models).where(eq(models.id, model.modelId));
        let count = 0;
        for (const { version, value } of prepared) {
          const [row] = await tx
            .insert(modelVersions)
            .values({
              ...value,
              gitCommit: value.gitCommit ?? null,
              artifactDigest: value.artifactDigest ?? null,
              trainingRunId: value.trainingRunId ?? null,
              modelId: model.modelId,
              createdBy: model.pickedBy,
              createdAt: now,
            })
            .onConflictDoNothing()
            .returning({ id: modelVersions.id });
          if (!row) {
            // The label is taken: by this import a moment ago (another run), by an earlier connection
            // to MLflow (linked: claimed again for this one), or by hand (reported, never overwritten).
            const [existing] = await tx
              .select({ id: modelVersions.id, linked: mlflowVersionLinks.mlflowName })
              .from(modelVersions)
              .leftJoin(mlflowVersionLinks, eq(mlflowVersionLinks.modelVersionId, modelVersions.id))
              .where(and(eq(modelVersions.modelId, model.modelId), eq(modelVersions.version, value.version)));
            if (existing?.linked === model.mlflowName)
              await tx
                .update(mlflowVersionLinks)
                .set({ connectionId })
                .where(
                  and(eq(mlflowVersionLinks.modelVersionId, existing.id), isNull(mlflowVersionLinks.connectionId)),
                );
            else
              result.skipped.push(
                `version ${version.version}: ${owner?.name ?? "the model"} already has a version ${value.version} registered by hand`,
              );
            continue;
          }
          await tx.insert(mlflowVersionLinks).values({
            modelVersionId: row.id,
            connectionId,
            trackingUrl,
            mlflowName: model.mlflowName,
            mlflowVersion: version.version!,
            runId: version.run_id ?? null,
            importedAt: now,
          });
          await recordAudit(
            tx,
            actor,
            {
              action: "mlflow.version_imported",
              entityType: "model_version",
              entityId: row.id,
              data: {
                model: owner?.name,
                version: value.version,
                mlflowName: model.mlflowName,
                runId: value.trainingRunId ?? null,
                artifactDigest: value.artifactDigest ?? null,
              },
            },
            now,
          );
          count++;
        }
        await tx
          .update(mlflowModels)
          .set({
            pageToken: next,
            importedCount: sql`${mlflowModels.importedCount} + ${count}`,
            ...(next ? {} : { lastSyncedAt: now }),
            lastError: result.skipped.length ? `Skipped ${result.skipped.join("; ")}`.slice(0, 2000) : null,
          })
          .where(eq(mlflowModels.id, model.id));
        progress.pages++;
        progress.imported += count;
        await tx
          .update(mlflowConnections)
          .set({ syncLeaseUntil: new Date(now.getTime() + SYNC_LEASE_MS), syncProgress: { ...progress } })
          .where(eq(mlflowConnections.id, connectionId));
        return count;
      });
      if (imported === null) return result;
      result.imported += imported;
      options.onPage?.({ model: model.mlflowName, page, imported: result.imported });
      if (!next) return result;
      pageToken = next;
    }
    throw new Error(`stopped after ${MAX_PAGES} pages; the next sync continues from there`);
  } catch (error) {
    result.error = error instanceof MlflowError ? error.message : `Unexpected: ${(error as Error).message}`;
    await db
      .update(mlflowModels)
      .set({ lastError: result.error.slice(0, 2000) })
      .where(eq(mlflowModels.id, model.id));
    return result;
  }
}

async function renewLease(db: Db, connectionId: string) {
  await db
    .update(mlflowConnections)
    .set({ syncLeaseUntil: new Date(Date.now() + SYNC_LEASE_MS) })
    .where(eq(mlflowConnections.id, connectionId));
}

/** The run behind a version, or null: no run id, or a run MLflow no longer has (deleted). */
async function runOf(
  target: MlflowTarget,
  version: MlflowModelVersion,
  signal?: AbortSignal,
): Promise<MlflowRun | null> {
  if (!version.run_id) return null;
  try {
    return await getRun(target, version.run_id, signal);
  } catch (error) {
    if (error instanceof MlflowError && error.code === "RESOURCE_DOES_NOT_EXIST") return null;
    throw error;
  }
}
