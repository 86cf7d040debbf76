import type { Model, ModelVersion } from "@/db/schema";
import type { getModel, getVersion, listModels } from "./queries";

// What /api/v1 shows of models and their versions: named fields, never a row passed through.

type ModelListRow = Awaited<ReturnType<typeof listModels>>[number];
type VersionRow = NonNullable<Awaited<ReturnType<typeof getModel>>>["versions"][number];
type VersionDetail = NonNullable<Awaited<ReturnType<typeof getVersion>>>;

/** A model in the registry list, with its number of versions. */
export function modelListJson(m: ModelListRow) {
  return {
    id: m.id,
    name: m.name,
    description: m.description,
    team: m.team,
    owner: m.owner,
    createdAt: m.createdAt,
    versions: m.versions,
  };
}

/** A model as registered (POST /api/v1/models). */
export function registeredModelJson(
  m: Pick<Model, "id" | "name" | "teamId" | "description" | "ownerId" | "createdAt">,
) {
  return {
    id: m.id,
    name: m.name,
    teamId: m.teamId,
    description: m.description,
    ownerId: m.ownerId,
    createdAt: m.createdAt,
  };
}

/** A version as registered (POST /api/v1/models/{name}/versions). */
export function registeredVersionJson(v: ModelVersion & { model: string }) {
  return {
    id: v.id,
    modelId: v.modelId,
    version: v.version,
    sourceUri: v.sourceUri,
    gitCommit: v.gitCommit,
    artifactDigest: v.artifactDigest,
    trainingRunId: v.trainingRunId,
    framework: v.framework,
    hyperparameters: v.hyperparameters,
    datasetName: v.datasetName,
    datasetVersion: v.datasetVersion,
    datasetLinked: v.datasetVersionId !== null,
    features: v.features,
    label: v.label,
    metrics: v.metrics,
    createdBy: v.createdBy,
    createdAt: v.createdAt,
    model: v.model,
  };
}

/** A version in its model's list (GET /api/v1/models/{name}/versions). */
export function versionJson(v: VersionRow) {
  return {
    id: v.id,
    version: v.version,
    sourceUri: v.sourceUri,
    gitCommit: v.gitCommit,
    artifactDigest: v.artifactDigest,
    trainingRunId: v.trainingRunId,
    framework: v.framework,
    hyperparameters: v.hyperparameters,
    datasetName: v.datasetName,
    datasetVersion: v.datasetVersion,
    datasetLinked: v.datasetVersionId !== null,
    features: v.features,
    label: v.label,
    metrics: v.metrics,
    createdAt: v.createdAt,
    createdByEmail: v.createdByEmail,
  };
}

/** One version with its model's name (GET /api/v1/models/{name}/versions/{version}). */
export function versionDetailJson(v: VersionDetail) {
  return {
    id: v.id,
    version: v.version,
    sourceUri: v.sourceUri,
    gitCommit: v.gitCommit,
    artifactDigest: v.artifactDigest,
    trainingRunId: v.trainingRunId,
    framework: v.framework,
    hyperparameters: v.hyperparameters,
    datasetName: v.datasetName,
    datasetVersion: v.datasetVersion,
    datasetLinked: v.datasetVersionId !== null,
    features: v.features,
    label: v.label,
    metrics: v.metrics,
    createdAt: v.createdAt,
    model: v.model,
    createdByEmail: v.createdByEmail,
  };
}
