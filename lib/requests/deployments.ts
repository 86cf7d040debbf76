import "server-only";
import { isModelName } from "../models/queries";
import { asc, desc, eq, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db";
import { changeRequests, environments, modelDeployments, models, modelVersions, users } from "@/db/schema";
import type { Environment } from "@/db/schema/requests";
import { listEnvironments } from "../environments/queries";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { NotFound } from "../errors";
import { mayBrowseModels } from "../models/permissions";
import { mayCloseDeployment } from "./permissions";
import { rollbackTarget, whyNotBack } from "./rollback-rules";

const deployer = alias(users, "deployer");
const retirer = alias(users, "retirer");
const retiredBy = alias(changeRequests, "retired_by_request");

/** Every time a version of this model went live, newest first, with who, through which request and how it ended. */
async function deploymentHistory(db: Db, modelId: string) {
  return db
    .select({
      id: modelDeployments.id,
      environment: modelDeployments.environment,
      modelVersionId: modelDeployments.modelVersionId,
      version: modelVersions.version,
      via: modelDeployments.via,
      number: changeRequests.number,
      requestStatus: changeRequests.status,
      requestedBy: changeRequests.requestedBy,
      revokedAt: changeRequests.revokedAt,
      outcome: changeRequests.outcome,
      deployedAt: modelDeployments.deployedAt,
      deployedBy: deployer.email,
      retiredAt: modelDeployments.retiredAt,
      retiredBy: retirer.email,
      retiredReason: modelDeployments.retiredReason,
      retiredByNumber: retiredBy.number,
      note: modelDeployments.note,
    })
    .from(modelDeployments)
    .innerJoin(modelVersions, eq(modelVersions.id, modelDeployments.modelVersionId))
    .innerJoin(changeRequests, eq(changeRequests.id, modelDeployments.requestId))
    .leftJoin(deployer, eq(deployer.id, modelDeployments.deployedBy))
    .leftJoin(retirer, eq(retirer.id, modelDeployments.retiredBy))
    .leftJoin(retiredBy, eq(retiredBy.id, modelDeployments.retiredByRequestId))
    .where(eq(modelDeployments.modelId, modelId))
    .orderBy(desc(modelDeployments.deployedAt), asc(modelDeployments.retiredAt));
}

export type DeploymentEntry = Awaited<ReturnType<typeof deploymentHistory>>[number];
export type EnvironmentLive = { environment: Environment; live: DeploymentEntry | null; history: DeploymentEntry[] };

/** Per environment (in their order): what is live, and everything that was before it. */
export async function liveByEnvironment(db: Db, modelId: string): Promise<EnvironmentLive[]> {
  const [rows, environments] = await Promise.all([
    deploymentHistory(db, modelId),
    listEnvironments(db, { archived: true }),
  ]);
  // Archived environments appear only where this model has been deployed: their history stays readable.
  return environments.flatMap(({ name, archivedAt }) => {
    const here = rows.filter((r) => r.environment === name);
    if (archivedAt && !here.length) return [];
    return [{ environment: name, live: here.find((r) => r.retiredAt === null) ?? null, history: here }];
  });
}

/**
 * A model's live versions and their history (the model page, GET /api/v1/models/{name}/deployments),
 * for everyone who may browse models; `mayRollBack` per environment says whether the caller may roll
 * back what is live there (the verb checks again).
 */
export async function readModelDeployments(ctx: UserContext, input: { name: string }) {
  permit(mayBrowseModels(ctx.actor), "Sign in to see the models.");
  if (!isModelName(input.name)) throw new NotFound("No such model.");
  const [model] = await ctx.db
    .select({ id: models.id, name: models.name })
    .from(models)
    .where(eq(models.name, input.name));
  if (!model) throw new NotFound("No such model.");
  const environments = await liveByEnvironment(ctx.db, model.id);
  return {
    model: model.name,
    environments: environments.map((e) => ({ ...e, rollback: rollbackOffer(e, ctx.actor) })),
  };
}

/**
 * What a rollback here would bring back, and whether it is allowed (refusal: why not), when there is
 * something live and an earlier version; `mayRollBack` says whether this caller may do it at all.
 */
function rollbackOffer(e: EnvironmentLive, actor: UserContext["actor"]) {
  if (!e.live) return null;
  const target = rollbackTarget(e.history, e.live);
  if (!target) return null;
  return {
    to: target.version,
    number: target.number,
    refusal: whyNotBack(target.version, {
      number: target.number,
      status: target.requestStatus,
      revokedAt: target.revokedAt,
    }),
    mayRollBack: mayCloseDeployment(actor, e.live),
  };
}

export type ModelDeployments = Awaited<ReturnType<typeof readModelDeployments>>;

/** One deployment as the pages show it: named fields, times as ISO strings. */
function entryView(d: DeploymentEntry) {
  return {
    id: d.id,
    version: d.version,
    via: d.via,
    number: d.number,
    requestStatus: d.requestStatus,
    outcome: d.outcome,
    deployedAt: d.deployedAt.toISOString(),
    deployedBy: d.deployedBy,
    note: d.note,
    retiredAt: d.retiredAt?.toISOString() ?? null,
    retiredBy: d.retiredBy,
    retiredReason: d.retiredReason,
    retiredByNumber: d.retiredByNumber,
  };
}
export type DeploymentView = ReturnType<typeof entryView>;

/** The model page's Live section: per environment, what is live, its history, and the rollback on offer. */
export function liveView(read: ModelDeployments) {
  return read.environments.map((e) => ({
    environment: e.environment,
    live: e.live && entryView(e.live),
    history: e.history.map(entryView),
    rollback: e.rollback,
  }));
}
export type EnvironmentView = ReturnType<typeof liveView>[number];

/** For a request's page: the live view of its environment when the request is what is live there. */
export async function liveViewForRequest(
  ctx: UserContext,
  request: { number: number; model: string | null; environment: Environment; kind: string },
) {
  if (request.kind !== "deployment" || !request.model) return null;
  const here = liveView(await readModelDeployments(ctx, { name: request.model })).find(
    (e) => e.environment === request.environment,
  );
  return here?.live?.number === request.number ? here : null;
}

/**
 * What is live now for every model, per environment in promotion order (the Models list): model
 * name → [{ environment, version, number }]. Open to whoever may browse models.
 */
export async function readLiveEverywhere(ctx: UserContext) {
  permit(mayBrowseModels(ctx.actor), "Sign in to see the models.");
  const rows = await ctx.db
    .select({
      model: models.name,
      environment: modelDeployments.environment,
      version: modelVersions.version,
      number: changeRequests.number,
    })
    .from(modelDeployments)
    .innerJoin(models, eq(models.id, modelDeployments.modelId))
    .innerJoin(modelVersions, eq(modelVersions.id, modelDeployments.modelVersionId))
    .innerJoin(changeRequests, eq(changeRequests.id, modelDeployments.requestId))
    .innerJoin(environments, eq(environments.name, modelDeployments.environment))
    .where(isNull(modelDeployments.retiredAt))
    .orderBy(asc(environments.position), asc(environments.name));
  const byModel: Record<string, { environment: Environment; version: string; number: number }[]> = {};
  for (const { model, ...live } of rows) (byModel[model] ??= []).push(live);
  return byModel;
}
