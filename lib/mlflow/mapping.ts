// Pure translations between MLflow's registry and Greenlight's: no I/O, unit-tested.
import type { z } from "zod";
import { RegisterVersionInput } from "../models/schemas";
import type { MlflowModelVersion, MlflowRun, MlflowTag } from "./client";

/** The tag keys Greenlight writes on a version it decided. */
export const TAG_REQUEST = "greenlight.request";
export const TAG_STATUS = "greenlight.status";

/** Tags on the version or its run that may carry the artifact's digest (MLflow has no field for it). */
const DIGEST_TAGS = ["greenlight.artifact_digest", "artifact_digest", "sha256"];
/** MLflow's own run tag for the commit the run was started from. */
const GIT_COMMIT_TAG = "mlflow.source.git.commit";
/** MLflow marks a dataset input's role with this tag ("training", "evaluation", ...). */
const DATASET_CONTEXT_TAG = "mlflow.data.context";

// MLflow knows nothing of the data dictionary: an imported version is not linked to its columns.
type Registered = z.output<typeof RegisterVersionInput>;
export type ImportedVersion = Omit<
  Registered,
  "model" | "dataset" | "features" | "label" | "datasetName" | "datasetVersion"
> & { datasetName: string; datasetVersion: string };

/** A Greenlight model name for an MLflow one ("Fraud Detector" -> "fraud-detector"). */
export function greenlightModelName(mlflowName: string): string {
  const slug = mlflowName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .replace(/-+$/, "")
    .slice(0, 63);
  return slug.length >= 2 ? slug : `mlflow-${slug || "model"}`;
}

const tagValue = (tags: MlflowTag[] | undefined, key: string) => tags?.find((t) => t.key === key)?.value;

/** Strings past a column's bound or with characters PostgreSQL refuses are cut or cleaned, not fatal. */
function clean(value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  const v = value
    .toWellFormed()
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")
    .trim();
  return v.length > max ? v.slice(0, max).toWellFormed() : v;
}

function normaliseDigest(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const v = value.trim().toLowerCase();
  if (/^sha256:[0-9a-f]{64}$/.test(v)) return v;
  if (/^[0-9a-f]{64}$/.test(v)) return `sha256:${v}`;
  return undefined;
}

/** Which dataset the run trained on: the input marked "training", else the first one logged. */
function trainingDataset(run: MlflowRun | null) {
  const inputs = run?.inputs?.dataset_inputs ?? [];
  const training = inputs.find((i) => tagValue(i.tags, DATASET_CONTEXT_TAG) === "training") ?? inputs[0];
  return training?.dataset;
}

const NOT_RECORDED = "(not recorded in MLflow)";

/**
 * The Greenlight version for an MLflow version and its run (null when it had no run): hyperparameters
 * from the run's params, metrics (latest values), the training dataset's name and digest, source, run
 * id, the git commit MLflow recorded and the artifact digest when a tag carries one. The result is
 * parsed with the same schema a hand-registered version is: anything it refuses is reported, not stored.
 */
export function importedVersion(
  version: MlflowModelVersion,
  run: MlflowRun | null,
): { ok: true; value: ImportedVersion } | { ok: false; problem: string } {
  const params = Object.fromEntries(
    (run?.data?.params ?? []).map((p) => [clean(String(p.key), 250)!, clean(String(p.value ?? ""), 6000)!]),
  );
  const metrics = Object.fromEntries(
    (run?.data?.metrics ?? []).map((m) => [
      clean(String(m.key), 250)!,
      typeof m.value === "number" ? m.value : Number(m.value),
    ]),
  );
  const dataset = trainingDataset(run);
  const runTags = run?.data?.tags;
  const digest =
    DIGEST_TAGS.map((k) => normaliseDigest(tagValue(version.tags, k))).find(Boolean) ??
    DIGEST_TAGS.map((k) => normaliseDigest(tagValue(runTags, k))).find(Boolean);
  const commit = clean(tagValue(runTags, GIT_COMMIT_TAG), 40);
  const framework = tagValue(version.tags, "framework") ?? tagValue(runTags, "framework") ?? params.framework;
  const candidate = {
    model: "placeholder", // parsed apart: the caller knows the model
    version: version.version,
    sourceUri: clean(version.source, 1000) || `models:/${version.name}/${version.version}`,
    gitCommit: commit && /^[0-9a-f]{7,40}$/i.test(commit) ? commit : undefined,
    artifactDigest: digest,
    trainingRunId: clean(version.run_id, 200) || undefined,
    framework: clean(framework, 80) || "mlflow",
    hyperparameters: params,
    datasetName: clean(dataset?.name, 200) || NOT_RECORDED,
    datasetVersion: clean(dataset?.digest, 100) || NOT_RECORDED,
    metrics,
  };
  const parsed = RegisterVersionInput.safeParse({ ...candidate, model: "mlflow-import" });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, problem: `version ${version.version}: ${issue.path.join(".") || "value"}: ${issue.message}` };
  }
  const { model: _model, dataset: _d, features: _f, label: _l, ...value } = parsed.data;
  return {
    ok: true,
    value: {
      ...value,
      datasetName: value.datasetName ?? NOT_RECORDED,
      datasetVersion: value.datasetVersion ?? NOT_RECORDED,
    },
  };
}

/** Only finished registrations are imported: a pending one may still change, a failed one never ships. */
export const isImportable = (v: MlflowModelVersion) =>
  typeof v.version === "string" && (v.status === undefined || v.status === "READY");

/** The tags written on a version for a request's decision. */
export const decisionTags = (requestNumber: number, status: string) => [
  { key: TAG_REQUEST, value: `CR-${requestNumber}` },
  { key: TAG_STATUS, value: status },
];

/** Where a person opens this version: the Databricks workspace's UI when one is set, else MLflow's. */
export function versionLink(
  connection: { url: string; databricksHost: string | null },
  name: string,
  version: string,
): string {
  const model = encodeURIComponent(name);
  return connection.databricksHost
    ? `${connection.databricksHost.replace(/\/+$/, "")}/ml/models/${model}/versions/${encodeURIComponent(version)}`
    : `${connection.url}/#/models/${model}/versions/${encodeURIComponent(version)}`;
}

/** Delay before write-back attempt `attempts + 1`: 30 s doubling, at most an hour. */
export const writeBackDelayMs = (attempts: number) => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
export const WRITE_BACK_MAX_ATTEMPTS = 8;
