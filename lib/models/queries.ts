import "server-only";
import { and, asc, count, desc, eq, lte, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { models, modelVersions, teams, users } from "@/db/schema";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { NotFound } from "../errors";
import { listTeams } from "../teams/queries";
import { changesSinceTraining } from "../datasets/affected";
import { mayBrowseModels, mayManageTeamModels } from "./permissions";
import { modelName, versionLabel } from "./schemas";

/**
 * Reads are bounded however big the registry grows: the list shows this many models (by name), a
 * model this many of its newest versions, the new-request picker this many newest versions per model
 * and this many in all. Each read says how many there are in all, so a page can say what it left out.
 */
export const MODEL_LIST_LIMIT = 500;
export const VERSION_LIST_LIMIT = 200;
const VERSION_CHOICES_PER_MODEL = 20;
const VERSION_CHOICES_LIMIT = 2_000;

export async function countModels(db: Db) {
  const [row] = await db.select({ n: count() }).from(models);
  return row?.n ?? 0;
}

export async function listModels(db: Db) {
  return db
    .select({
      id: models.id,
      name: models.name,
      description: models.description,
      team: teams.name,
      owner: users.email,
      createdAt: models.createdAt,
      versions: count(modelVersions.id),
    })
    .from(models)
    .innerJoin(teams, eq(teams.id, models.teamId))
    .innerJoin(users, eq(users.id, models.ownerId))
    .leftJoin(modelVersions, eq(modelVersions.modelId, models.id))
    .groupBy(models.id, teams.name, users.email)
    .orderBy(asc(models.name))
    .limit(MODEL_LIST_LIMIT);
}

export async function getModel(db: Db, name: string) {
  const [model] = await db
    .select({
      id: models.id,
      name: models.name,
      description: models.description,
      teamId: models.teamId,
      team: teams.name,
      owner: users.email,
      createdAt: models.createdAt,
    })
    .from(models)
    .innerJoin(teams, eq(teams.id, models.teamId))
    .innerJoin(users, eq(users.id, models.ownerId))
    .where(eq(models.name, name));
  if (!model) return null;
  const [versions, [total]] = await Promise.all([
    db
      .select({ ...versionColumns, createdByEmail: users.email })
      .from(modelVersions)
      .innerJoin(users, eq(users.id, modelVersions.createdBy))
      .where(eq(modelVersions.modelId, model.id))
      .orderBy(desc(modelVersions.createdAt), desc(modelVersions.id))
      .limit(VERSION_LIST_LIMIT),
    db.select({ n: count() }).from(modelVersions).where(eq(modelVersions.modelId, model.id)),
  ]);
  return { ...model, versions, versionCount: total?.n ?? 0 };
}

const versionColumns = {
  id: modelVersions.id,
  version: modelVersions.version,
  sourceUri: modelVersions.sourceUri,
  gitCommit: modelVersions.gitCommit,
  artifactDigest: modelVersions.artifactDigest,
  trainingRunId: modelVersions.trainingRunId,
  framework: modelVersions.framework,
  hyperparameters: modelVersions.hyperparameters,
  datasetName: modelVersions.datasetName,
  datasetVersion: modelVersions.datasetVersion,
  datasetVersionId: modelVersions.datasetVersionId,
  features: modelVersions.features,
  label: modelVersions.label,
  metrics: modelVersions.metrics,
  createdAt: modelVersions.createdAt,
};

export async function getVersion(db: Db, modelName: string, version: string) {
  const [row] = await db
    .select({ ...versionColumns, model: models.name, createdByEmail: users.email })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .innerJoin(users, eq(users.id, modelVersions.createdBy))
    .where(and(eq(models.name, modelName), eq(modelVersions.version, version)));
  return row ?? null;
}

/**
 * The versions the new-request picker offers, in one query: each model's newest
 * VERSION_CHOICES_PER_MODEL, newest first, at most VERSION_CHOICES_LIMIT in all. An older version can
 * still be filed for by name (the API, or the version's own page).
 */
export async function listVersionChoices(db: Db) {
  const ranked = db
    .select({
      model: sql<string>`${models.name}`.as("model"),
      version: sql<string>`${modelVersions.version}`.as("version"),
      teamId: sql<string>`${models.teamId}`.as("team_id"),
      team: sql<string>`${teams.name}`.as("team"),
      createdAt: sql<Date>`${modelVersions.createdAt}`.as("created_at"),
      rank: sql<number>`row_number() over (partition by ${modelVersions.modelId} order by ${modelVersions.createdAt} desc)`.as(
        "rank",
      ),
    })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .innerJoin(teams, eq(teams.id, models.teamId))
    .as("ranked");
  return db
    .select({ model: ranked.model, version: ranked.version, teamId: ranked.teamId, team: ranked.team })
    .from(ranked)
    .where(lte(ranked.rank, VERSION_CHOICES_PER_MODEL))
    .orderBy(asc(ranked.model), desc(ranked.createdAt))
    .limit(VERSION_CHOICES_LIMIT);
}

// Reads over /api/v1: anyone signed in may read the registry (lib/models/permissions.ts).

/** The registry list (at most MODEL_LIST_LIMIT models, by name) and how many models there are in all. */
export async function readModels(ctx: UserContext) {
  const [list, total] = await Promise.all([listModels(ctx.db), countModels(ctx.db)]);
  return { models: list, total };
}

/** A name or label as written in a URL; one no model could have is simply not found (never a query). */
/** A name no model could have (bad characters, too long) is a 404 without asking the database. */
export const isModelName = (name: string) => modelName.safeParse(name).success;
const isVersionLabel = (version: string) => versionLabel.safeParse(version).success;

export async function readModel(ctx: UserContext, input: { name: string }) {
  const model = isModelName(input.name) ? await getModel(ctx.db, input.name) : null;
  if (!model) throw new NotFound("No such model.");
  return model;
}

export async function readModelVersion(ctx: UserContext, input: { name: string; version: string }) {
  const found =
    isModelName(input.name) && isVersionLabel(input.version)
      ? await getVersion(ctx.db, input.name, input.version)
      : null;
  if (!found) throw new NotFound(`${input.name} has no version ${input.version}.`);
  return found;
}

// Reads for the Models section of the app: open to every signed-in person (read-only for those who
// may not register), so the people approving a version can look at it.

const NOT_MODELS = "Sign in to see the models.";

/** Every model, and the teams the caller may register models for. */
export async function readModelsPage(ctx: UserContext) {
  permit(mayBrowseModels(ctx.actor), NOT_MODELS);
  const [list, total, teams] = await Promise.all([listModels(ctx.db), countModels(ctx.db), listTeams(ctx.db)]);
  return { models: list, total, myTeams: teams.filter((t) => mayManageTeamModels(ctx.actor, t.id)) };
}

/** One model with its versions, and whether the caller may add one. */
export async function readModelPage(ctx: UserContext, input: { name: string }) {
  permit(mayBrowseModels(ctx.actor), NOT_MODELS);
  const model = isModelName(input.name) ? await getModel(ctx.db, input.name) : null;
  if (!model) throw new NotFound("No such model.");
  return { model, can: { addVersion: mayManageTeamModels(ctx.actor, model.teamId) } };
}

/** One version of a model, with its siblings to compare it with, and whether the caller may add versions. */
export async function readVersionPage(ctx: UserContext, input: { name: string; version: string }) {
  permit(mayBrowseModels(ctx.actor), NOT_MODELS);
  const [model, found] = isModelName(input.name)
    ? await Promise.all([getModel(ctx.db, input.name), getVersion(ctx.db, input.name, input.version)])
    : [null, null];
  // The version itself is read on its own: it may be older than the newest VERSION_LIST_LIMIT.
  const current = model?.versions.find((v) => v.version === input.version) ?? found;
  if (!model || !current) throw new NotFound(`${input.name} has no version ${input.version}.`);
  // Linked to the data dictionary: the columns it uses that changed since it was trained.
  const data = current.datasetVersionId ? await changesSinceTraining(ctx.db, current.id) : null;
  return { model, current, data, can: { addVersion: mayManageTeamModels(ctx.actor, model.teamId) } };
}

/** "fraud-detector v3" for a model version id, as emails and notices name it. */
export async function modelVersionName(db: Db | Tx, modelVersionId: string | null): Promise<string | undefined> {
  if (!modelVersionId) return undefined;
  const [row] = await db
    .select({ model: models.name, version: modelVersions.version })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(eq(modelVersions.id, modelVersionId));
  return row ? `${row.model} ${row.version}` : undefined;
}
