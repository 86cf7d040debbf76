import type { Dataset, DatasetVersion } from "@/db/schema";
import type { getDataset, listDatasets, readDatasetVersion } from "./queries";

// What /api/v1 shows of the data dictionary: named fields, never a row passed through.

type ListRow = Awaited<ReturnType<typeof listDatasets>>["datasets"][number];
type DatasetDetail = NonNullable<Awaited<ReturnType<typeof getDataset>>>;
type VersionDetail = Awaited<ReturnType<typeof readDatasetVersion>>;

export function datasetListJson(d: ListRow) {
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    team: d.team,
    createdAt: d.createdAt,
    versions: d.versions,
    latestVersion: d.latestVersion,
    columns: d.columns,
  };
}

export function createdDatasetJson(d: Dataset & { team: string }) {
  return { id: d.id, name: d.name, description: d.description, teamId: d.teamId, team: d.team, createdAt: d.createdAt };
}

export function datasetJson(d: DatasetDetail) {
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    team: d.team,
    createdAt: d.createdAt,
    createdBy: d.createdBy,
    versions: d.versions.map((v) => ({
      version: v.version,
      seq: v.seq,
      note: v.note,
      columns: v.columns,
      createdAt: v.createdAt,
      createdBy: v.createdBy,
    })),
    totalVersions: d.versionCount,
    usedBy: d.usedBy.map((u) => ({
      model: u.model,
      version: u.version,
      datasetVersion: u.datasetVersion,
      features: u.features ?? [],
      label: u.label,
    })),
  };
}

export function datasetVersionJson(v: VersionDetail) {
  return {
    id: v.id,
    dataset: v.dataset,
    version: v.version,
    seq: v.seq,
    previous: v.previous,
    note: v.note,
    columns: v.columns,
    primaryKey: v.primaryKey,
    missingValues: v.missingValues,
    foreignKeys: v.foreignKeys,
    createdAt: v.createdAt,
    createdBy: v.createdBy,
  };
}

export function createdVersionJson(
  v: DatasetVersion,
  dataset: Pick<Dataset, "name">,
  affected: { versions: { model: string; version: string; requests: { number: number }[] }[]; truncated: boolean },
) {
  return {
    id: v.id,
    dataset: dataset.name,
    version: v.version,
    seq: v.seq,
    note: v.note,
    columns: v.columns.length,
    createdAt: v.createdAt,
    affected: {
      modelVersions: affected.versions.map((a) => ({
        model: a.model,
        version: a.version,
        requests: a.requests.map((r) => r.number),
      })),
      truncated: affected.truncated,
    },
  };
}
