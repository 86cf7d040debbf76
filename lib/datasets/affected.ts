import "server-only";
import { and, desc, eq, exists, inArray, isNull, ne, or } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import {
  changeRequests,
  datasets,
  datasetVersions,
  modelDeployments,
  models,
  modelVersions,
  type DatasetColumn,
} from "@/db/schema";
import type { RequestStatus } from "@/db/schema/requests";
import { changedSinceTraining, usedColumns, type ChangedColumn } from "./diff";

/** A request still under way for its version: a changed column is news to its requester. */
export const OPEN_REQUEST_STATUSES = ["in_review", "changes_requested", "approved"] as const satisfies RequestStatus[];

/**
 * A new dataset version tells at most this many model versions, and at most this many open requests,
 * in the transaction that creates it (ADR 0025); the rest are not told by mail, though their request
 * pages still show the notice (it is computed when the page is read).
 */
export const MAX_AFFECTED_VERSIONS = 500;
export const MAX_AFFECTED_REQUESTS = 500;

export type AffectedVersion = {
  id: string;
  model: string;
  version: string;
  ownerId: string;
  createdBy: string;
  trainedOn: string;
  changed: ChangedColumn[];
  requests: { id: string; number: number; title: string; requestedBy: string }[];
};

/**
 * Model versions trained on an older version of this dataset, live somewhere or in an open request,
 * whose features or label changed (or went) in `newer`; each with its open requests.
 */
export async function affectedByVersion(
  tx: Db | Tx,
  dataset: { id: string },
  newer: { id: string; columns: readonly DatasetColumn[] },
): Promise<{ versions: AffectedVersion[]; truncated: boolean }> {
  const live = tx
    .select({ id: modelDeployments.id })
    .from(modelDeployments)
    .where(and(eq(modelDeployments.modelVersionId, modelVersions.id), isNull(modelDeployments.retiredAt)));
  const open = tx
    .select({ id: changeRequests.id })
    .from(changeRequests)
    .where(
      and(eq(changeRequests.modelVersionId, modelVersions.id), inArray(changeRequests.status, OPEN_REQUEST_STATUSES)),
    );
  const candidates = await tx
    .select({
      id: modelVersions.id,
      model: models.name,
      version: modelVersions.version,
      ownerId: models.ownerId,
      createdBy: modelVersions.createdBy,
      features: modelVersions.features,
      label: modelVersions.label,
      datasetVersionId: datasetVersions.id,
      trainedOn: datasetVersions.version,
    })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .innerJoin(datasetVersions, eq(datasetVersions.id, modelVersions.datasetVersionId))
    .where(
      and(eq(datasetVersions.datasetId, dataset.id), ne(datasetVersions.id, newer.id), or(exists(live), exists(open))),
    )
    .orderBy(desc(modelVersions.createdAt), desc(modelVersions.id))
    .limit(MAX_AFFECTED_VERSIONS + 1);
  const truncated = candidates.length > MAX_AFFECTED_VERSIONS;
  const shown = candidates.slice(0, MAX_AFFECTED_VERSIONS);
  if (!shown.length) return { versions: [], truncated };
  const trainedIds = [...new Set(shown.map((c) => c.datasetVersionId))];
  const trained = new Map(
    (
      await tx
        .select({ id: datasetVersions.id, columns: datasetVersions.columns })
        .from(datasetVersions)
        .where(inArray(datasetVersions.id, trainedIds))
    ).map((v) => [v.id, v.columns]),
  );
  const changed = shown
    .map((c) => ({
      ...c,
      changed: changedSinceTraining(trained.get(c.datasetVersionId)!, newer.columns, usedColumns(c)),
    }))
    .filter((c) => c.changed.length);
  if (!changed.length) return { versions: [], truncated };
  const requests = await tx
    .select({
      id: changeRequests.id,
      number: changeRequests.number,
      title: changeRequests.title,
      requestedBy: changeRequests.requestedBy,
      modelVersionId: changeRequests.modelVersionId,
    })
    .from(changeRequests)
    .where(
      and(
        inArray(
          changeRequests.modelVersionId,
          changed.map((c) => c.id),
        ),
        inArray(changeRequests.status, OPEN_REQUEST_STATUSES),
      ),
    )
    .orderBy(desc(changeRequests.number))
    .limit(MAX_AFFECTED_REQUESTS + 1);
  return {
    versions: changed.map((c) => ({
      id: c.id,
      model: c.model,
      version: c.version,
      ownerId: c.ownerId,
      createdBy: c.createdBy,
      trainedOn: c.trainedOn,
      changed: c.changed,
      requests: requests
        .slice(0, MAX_AFFECTED_REQUESTS)
        .filter((r) => r.modelVersionId === c.id)
        .map(({ modelVersionId: _, ...r }) => r),
    })),
    truncated: truncated || requests.length > MAX_AFFECTED_REQUESTS,
  };
}

export type DatasetNotice = { dataset: string; trainedOn: string; latest: string; sentences: string[] };

/** The request page's and the API's notice for a model version: null when nothing it uses changed. */
export async function datasetNotice(db: Db | Tx, modelVersionId: string | null): Promise<DatasetNotice | null> {
  const found = modelVersionId ? await changesSinceTraining(db, modelVersionId) : null;
  if (!found?.changed.length) return null;
  const { dataset, trainedOn, latest, changed } = found;
  return { dataset, trainedOn, latest, sentences: changed.flatMap((c) => c.sentences) };
}

/**
 * What a model version's people should know now: the columns it uses that changed since the dataset
 * version it was trained on, against the dataset's latest version. Empty when it is not linked, or
 * trained on the latest.
 */
export async function changesSinceTraining(db: Db | Tx, modelVersionId: string) {
  const [link] = await db
    .select({
      features: modelVersions.features,
      label: modelVersions.label,
      datasetId: datasetVersions.datasetId,
      dataset: datasets.name,
      seq: datasetVersions.seq,
      trainedOn: datasetVersions.version,
      columns: datasetVersions.columns,
    })
    .from(modelVersions)
    .innerJoin(datasetVersions, eq(datasetVersions.id, modelVersions.datasetVersionId))
    .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
    .where(eq(modelVersions.id, modelVersionId));
  if (!link) return null;
  const [latest] = await db
    .select({ version: datasetVersions.version, seq: datasetVersions.seq, columns: datasetVersions.columns })
    .from(datasetVersions)
    .where(eq(datasetVersions.datasetId, link.datasetId))
    .orderBy(desc(datasetVersions.seq))
    .limit(1);
  if (!latest || latest.seq <= link.seq)
    return { dataset: link.dataset, trainedOn: link.trainedOn, latest: link.trainedOn, changed: [] };
  return {
    dataset: link.dataset,
    trainedOn: link.trainedOn,
    latest: latest.version,
    changed: changedSinceTraining(link.columns, latest.columns, usedColumns(link)),
  };
}
