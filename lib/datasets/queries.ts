import "server-only";
import { and, asc, count, desc, eq, ilike, max, or, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { datasets, datasetVersions, models, modelVersions, teams, users } from "@/db/schema";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { NotFound } from "../errors";
import { parseInput } from "../validation";
import { listTeams } from "../teams/queries";
import { diffDatasetVersions } from "./diff";
import { mayBrowseDatasets, mayManageDataset } from "./permissions";
import { datasetName, datasetVersionLabel, DatasetSearch, DiffQuery } from "./schemas";
import { exportTableSchema } from "./table-schema";

/** Reads are bounded: the list shows this many datasets, a dataset this many of its newest versions. */
export const DATASET_LIST_LIMIT = 500;
export const DATASET_VERSION_LIST_LIMIT = 200;
const USED_BY_LIMIT = 100;

const NOT_DICTIONARY = "Sign in to see the data dictionary.";
const isDatasetName = (name: string) => datasetName.safeParse(name).success;
const isVersionLabel = (version: string) => datasetVersionLabel.safeParse(version).success;
// A search term is matched literally: % and _ are not wildcards to the person typing them.
const likeTerm = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Datasets by name, with their owner team, newest version and number of versions; `q` searches names, descriptions and columns. */
export async function listDatasets(db: Db | Tx, q = "") {
  const term = likeTerm(q);
  const latest = db
    .select({
      datasetId: datasetVersions.datasetId,
      seq: max(datasetVersions.seq).as("latest_seq"),
      n: count().as("n"),
    })
    .from(datasetVersions)
    .groupBy(datasetVersions.datasetId)
    .as("latest");
  const matches = q
    ? or(
        ilike(datasets.name, term),
        ilike(datasets.description, term),
        sql`exists (select 1 from ${datasetVersions} dv where dv.dataset_id = ${datasets.id} and dv.columns::text ilike ${term})`,
      )
    : undefined;
  const rows = await db
    .select({
      id: datasets.id,
      name: datasets.name,
      description: datasets.description,
      team: teams.name,
      teamId: datasets.teamId,
      createdAt: datasets.createdAt,
      versions: sql<number>`coalesce(${latest.n}, 0)`.mapWith(Number),
      latestVersion: datasetVersions.version,
      latestAt: datasetVersions.createdAt,
      columns: sql<number>`coalesce(jsonb_array_length(${datasetVersions.columns}), 0)`.mapWith(Number),
    })
    .from(datasets)
    .innerJoin(teams, eq(teams.id, datasets.teamId))
    .leftJoin(latest, eq(latest.datasetId, datasets.id))
    .leftJoin(datasetVersions, and(eq(datasetVersions.datasetId, datasets.id), eq(datasetVersions.seq, latest.seq)))
    .where(matches)
    .orderBy(asc(datasets.name))
    .limit(DATASET_LIST_LIMIT + 1);
  return { datasets: rows.slice(0, DATASET_LIST_LIMIT), truncated: rows.length > DATASET_LIST_LIMIT };
}

export async function getDataset(db: Db | Tx, name: string) {
  const [dataset] = await db
    .select({
      id: datasets.id,
      name: datasets.name,
      description: datasets.description,
      teamId: datasets.teamId,
      team: teams.name,
      createdAt: datasets.createdAt,
      createdBy: users.email,
    })
    .from(datasets)
    .innerJoin(teams, eq(teams.id, datasets.teamId))
    .innerJoin(users, eq(users.id, datasets.createdBy))
    .where(eq(datasets.name, name));
  if (!dataset) return null;
  const [versions, [total], usedBy] = await Promise.all([
    db
      .select({
        id: datasetVersions.id,
        version: datasetVersions.version,
        seq: datasetVersions.seq,
        note: datasetVersions.note,
        columns: sql<number>`jsonb_array_length(${datasetVersions.columns})`.mapWith(Number),
        createdAt: datasetVersions.createdAt,
        createdBy: users.email,
      })
      .from(datasetVersions)
      .innerJoin(users, eq(users.id, datasetVersions.createdBy))
      .where(eq(datasetVersions.datasetId, dataset.id))
      .orderBy(desc(datasetVersions.seq))
      .limit(DATASET_VERSION_LIST_LIMIT),
    db.select({ n: count() }).from(datasetVersions).where(eq(datasetVersions.datasetId, dataset.id)),
    db
      .select({
        model: models.name,
        version: modelVersions.version,
        datasetVersion: datasetVersions.version,
        features: modelVersions.features,
        label: modelVersions.label,
      })
      .from(modelVersions)
      .innerJoin(models, eq(models.id, modelVersions.modelId))
      .innerJoin(datasetVersions, eq(datasetVersions.id, modelVersions.datasetVersionId))
      .where(eq(datasetVersions.datasetId, dataset.id))
      .orderBy(desc(modelVersions.createdAt))
      .limit(USED_BY_LIMIT),
  ]);
  return { ...dataset, versions, versionCount: total?.n ?? 0, usedBy };
}

export async function getDatasetVersion(db: Db | Tx, name: string, version: string) {
  const [row] = await db
    .select({
      id: datasetVersions.id,
      dataset: datasets.name,
      datasetId: datasets.id,
      version: datasetVersions.version,
      seq: datasetVersions.seq,
      columns: datasetVersions.columns,
      primaryKey: datasetVersions.primaryKey,
      missingValues: datasetVersions.missingValues,
      foreignKeys: datasetVersions.foreignKeys,
      note: datasetVersions.note,
      createdAt: datasetVersions.createdAt,
      createdBy: users.email,
    })
    .from(datasetVersions)
    .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
    .innerJoin(users, eq(users.id, datasetVersions.createdBy))
    .where(and(eq(datasets.name, name), eq(datasetVersions.version, version)));
  return row ?? null;
}

export type DatasetVersionDetail = NonNullable<Awaited<ReturnType<typeof getDatasetVersion>>>;

/** The version before this one (by creation order), for "what changed". */
async function previousVersion(db: Db | Tx, datasetId: string, seq: number) {
  const [row] = await db
    .select({ version: datasetVersions.version })
    .from(datasetVersions)
    .where(and(eq(datasetVersions.datasetId, datasetId), sql`${datasetVersions.seq} < ${seq}`))
    .orderBy(desc(datasetVersions.seq))
    .limit(1);
  return row?.version ?? null;
}

// Reads for the app and /api/v1: open to every signed-in person (lib/datasets/permissions.ts).

export async function readDatasets(ctx: UserContext, raw: unknown = {}) {
  permit(mayBrowseDatasets(ctx.actor), NOT_DICTIONARY);
  const { q } = parseInput(DatasetSearch, raw);
  return { q, ...(await listDatasets(ctx.db, q)) };
}

/** The Data dictionary page: the datasets (searched), and the teams the caller may add datasets for. */
export async function readDatasetsPage(ctx: UserContext, raw: unknown = {}) {
  const [found, teamList] = await Promise.all([readDatasets(ctx, raw), listTeams(ctx.db)]);
  return { ...found, myTeams: teamList.filter((t) => mayManageDataset(ctx.actor, t.id)) };
}

export async function readDataset(ctx: UserContext, input: { name: string }) {
  permit(mayBrowseDatasets(ctx.actor), NOT_DICTIONARY);
  const dataset = isDatasetName(input.name) ? await getDataset(ctx.db, input.name) : null;
  if (!dataset) throw new NotFound("No such dataset.");
  const latest = dataset.versions[0]
    ? await getDatasetVersion(ctx.db, dataset.name, dataset.versions[0].version)
    : null;
  return { dataset, latest, can: { addVersion: mayManageDataset(ctx.actor, dataset.teamId) } };
}

export async function readDatasetVersion(ctx: UserContext, input: { name: string; version: string }) {
  permit(mayBrowseDatasets(ctx.actor), NOT_DICTIONARY);
  const found =
    isDatasetName(input.name) && isVersionLabel(input.version)
      ? await getDatasetVersion(ctx.db, input.name, input.version)
      : null;
  if (!found) throw new NotFound(`${input.name} has no version ${input.version}.`);
  return { ...found, previous: await previousVersion(ctx.db, found.datasetId, found.seq) };
}

/** A version as a Frictionless Table Schema descriptor: what importing it gives back. */
export async function readTableSchema(ctx: UserContext, input: { name: string; version: string }) {
  const version = await readDatasetVersion(ctx, input);
  return exportTableSchema(version);
}

/** Columns added, removed and changed between two versions of one dataset (`from` older or not). */
export async function readDatasetDiff(ctx: UserContext, input: { name: string; from?: unknown; to?: unknown }) {
  permit(mayBrowseDatasets(ctx.actor), NOT_DICTIONARY);
  const { from, to } = parseInput(DiffQuery, { from: input.from, to: input.to });
  const [a, b] = await Promise.all([
    readDatasetVersion(ctx, { name: input.name, version: from }),
    readDatasetVersion(ctx, { name: input.name, version: to }),
  ]);
  return { dataset: a.dataset, from: a.version, to: b.version, ...diffDatasetVersions(a.columns, b.columns) };
}
