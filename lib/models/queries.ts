import "server-only";
import { and, asc, count, desc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { models, modelVersions, teams, users } from "@/db/schema";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { NotFound } from "../errors";
import { listTeams } from "../teams/queries";
import { mayBrowseModels, mayManageTeamModels } from "./permissions";
import { modelName, versionLabel } from "./schemas";

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
    .orderBy(asc(models.name));
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
  const versions = await db
    .select({ ...versionColumns, createdByEmail: users.email })
    .from(modelVersions)
    .innerJoin(users, eq(users.id, modelVersions.createdBy))
    .where(eq(modelVersions.modelId, model.id))
    .orderBy(desc(modelVersions.createdAt));
  return { ...model, versions };
}

const versionColumns = {
  id: modelVersions.id,
  version: modelVersions.version,
  sourceUri: modelVersions.sourceUri,
  gitCommit: modelVersions.gitCommit,
  framework: modelVersions.framework,
  hyperparameters: modelVersions.hyperparameters,
  datasetName: modelVersions.datasetName,
  datasetVersion: modelVersions.datasetVersion,
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

/** Every registered version with its model and team, newest first, in one query (the new-request picker). */
export async function listVersionChoices(db: Db) {
  return db
    .select({ model: models.name, version: modelVersions.version, teamId: models.teamId, team: teams.name })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .innerJoin(teams, eq(teams.id, models.teamId))
    .orderBy(asc(models.name), desc(modelVersions.createdAt));
}

// Reads over /api/v1: anyone signed in may read the registry (lib/models/permissions.ts).

export async function readModels(ctx: UserContext) {
  return listModels(ctx.db);
}

/** A name or label as written in a URL; one no model could have is simply not found (never a query). */
const isModelName = (name: string) => modelName.safeParse(name).success;
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
  const [list, teams] = await Promise.all([listModels(ctx.db), listTeams(ctx.db)]);
  return { models: list, myTeams: teams.filter((t) => mayManageTeamModels(ctx.actor, t.id)) };
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
  const model = isModelName(input.name) ? await getModel(ctx.db, input.name) : null;
  const current = model?.versions.find((v) => v.version === input.version);
  if (!model || !current) throw new NotFound(`${input.name} has no version ${input.version}.`);
  return { model, current, can: { addVersion: mayManageTeamModels(ctx.actor, model.teamId) } };
}
