import "server-only";
import { and, asc, count, desc, eq, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "@/db";
import { changeRequests, environments, modelDeployments, models, modelVersions, users } from "@/db/schema";
import type { EnvironmentRow } from "@/db/schema/environments";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { NotFound, ValidationError } from "../errors";
import { mayBrowseModels } from "../models/permissions";
import { mayAdminister } from "../users/permissions";
import { environmentName } from "./schemas";
import { inPromotionOrder, namesInWords } from "./rules";

/** Every environment in promotion order; archived ones only when asked for (and then last). */
export async function listEnvironments(db: Db | Tx, options: { archived?: boolean } = {}): Promise<EnvironmentRow[]> {
  const rows = await db
    .select()
    .from(environments)
    .where(options.archived ? undefined : isNull(environments.archivedAt))
    .orderBy(asc(environments.position), asc(environments.name));
  return inPromotionOrder(rows);
}

/** The environment a new or edited request names: it must exist and be in use. */
export async function environmentForRequest(tx: Db | Tx, name: string): Promise<EnvironmentRow> {
  const [row] = await tx.select().from(environments).where(eq(environments.name, name));
  if (row && !row.archivedAt) return row;
  const choices = namesInWords((await listEnvironments(tx)).map((e) => e.name));
  const message = row
    ? `${name} is archived: choose ${choices}.`
    : `There is no environment named ${name}: choose ${choices}.`;
  throw new ValidationError(message, { environment: [message] });
}

/** An environment by name, archived or not (a request keeps the one it was filed for). */
export async function environmentByName(tx: Db | Tx, name: string): Promise<EnvironmentRow> {
  const [row] = await tx.select().from(environments).where(eq(environments.name, name));
  if (!row) throw new NotFound(`There is no environment named ${name}.`);
  return row;
}

/** Refuses (400 at `field`) names that are no environment: a policy condition naming one would never match. */
export async function assertKnownEnvironments(tx: Db | Tx, names: readonly string[] | undefined, field: string) {
  if (!names?.length) return;
  const known = new Set((await listEnvironments(tx, { archived: true })).map((e) => e.name));
  const unknown = [...new Set(names)].filter((n) => !known.has(n));
  if (!unknown.length) return;
  const message = `No environment is named ${namesInWords(unknown)}: define it first, or choose from ${namesInWords([...known])}.`;
  throw new ValidationError(message, { [field]: [message] });
}

/** Is this environment protected (digest required, higher risk, emergencies allowed)? Unknown: no. */
export async function isProtectedEnvironment(tx: Db | Tx, name: string): Promise<boolean> {
  const [row] = await tx
    .select({ protected: environments.protected })
    .from(environments)
    .where(eq(environments.name, name));
  return row?.protected ?? false;
}

/** The environments with what is live in each: the Environments page and GET /api/v1/environments. */
export async function readEnvironments(ctx: UserContext) {
  permit(mayBrowseModels(ctx.actor), "Sign in to see the environments.");
  const all = await listEnvironments(ctx.db, { archived: true });
  const live = await ctx.db
    .select({ environment: modelDeployments.environment, models: count() })
    .from(modelDeployments)
    .where(isNull(modelDeployments.retiredAt))
    .groupBy(modelDeployments.environment);
  const liveIn = new Map(live.map((l) => [l.environment, l.models]));
  return {
    mayEdit: mayAdminister(ctx.actor),
    environments: all.map((e) => ({ ...view(e), liveModels: liveIn.get(e.name) ?? 0 })),
  };
}

/** An environment's fields as pages and the API show them. */
export function view(e: EnvironmentRow) {
  return {
    name: e.name,
    description: e.description,
    position: e.position,
    protected: e.protected,
    requiresDeployedIn: e.requiresDeployedIn,
    archived: e.archivedAt !== null,
    archivedAt: e.archivedAt?.toISOString() ?? null,
  };
}
export type EnvironmentView = ReturnType<typeof view>;

const deployer = alias(users, "deployer");
const retirer = alias(users, "retirer");
const successor = alias(changeRequests, "successor");

/** How many rows an environment page lists per section: newest first; the rest are in the audit log. */
export const PAGE_LIMIT = 200;

function deploymentsIn(db: Db, environment: string, liveOnly: boolean) {
  return db
    .select({
      model: models.name,
      version: modelVersions.version,
      artifactDigest: modelVersions.artifactDigest,
      via: modelDeployments.via,
      number: changeRequests.number,
      title: changeRequests.title,
      deployedAt: modelDeployments.deployedAt,
      deployedBy: deployer.email,
      retiredAt: modelDeployments.retiredAt,
      retiredBy: retirer.email,
      retiredReason: modelDeployments.retiredReason,
      retiredByNumber: successor.number,
      note: modelDeployments.note,
    })
    .from(modelDeployments)
    .innerJoin(models, eq(models.id, modelDeployments.modelId))
    .innerJoin(modelVersions, eq(modelVersions.id, modelDeployments.modelVersionId))
    .innerJoin(changeRequests, eq(changeRequests.id, modelDeployments.requestId))
    .leftJoin(deployer, eq(deployer.id, modelDeployments.deployedBy))
    .leftJoin(retirer, eq(retirer.id, modelDeployments.retiredBy))
    .leftJoin(successor, eq(successor.id, modelDeployments.retiredByRequestId))
    .where(
      and(eq(modelDeployments.environment, environment), liveOnly ? isNull(modelDeployments.retiredAt) : undefined),
    )
    .orderBy(...(liveOnly ? [asc(models.name)] : [desc(modelDeployments.deployedAt), asc(models.name)]))
    .limit(PAGE_LIMIT + 1);
}

function entries(rows: Awaited<ReturnType<typeof deploymentsIn>>) {
  return {
    rows: rows.slice(0, PAGE_LIMIT).map((r) => ({
      ...r,
      deployedAt: r.deployedAt.toISOString(),
      retiredAt: r.retiredAt?.toISOString() ?? null,
    })),
    truncated: rows.length > PAGE_LIMIT,
  };
}

/**
 * One environment: what is live there (per model: version, since when, through which request, by
 * whom) and its deployment history, newest first; each list bounded at PAGE_LIMIT.
 */
export async function readEnvironment(ctx: UserContext, input: { name: string }) {
  permit(mayBrowseModels(ctx.actor), "Sign in to see the environments.");
  const name = environmentName.safeParse(input.name);
  if (!name.success) throw new NotFound("No such environment.");
  const [environment] = await ctx.db.select().from(environments).where(eq(environments.name, name.data));
  if (!environment) throw new NotFound("No such environment.");
  const [live, history] = await Promise.all([
    deploymentsIn(ctx.db, environment.name, true),
    deploymentsIn(ctx.db, environment.name, false),
  ]);
  const l = entries(live);
  const h = entries(history);
  return {
    environment: view(environment),
    live: l.rows,
    liveTruncated: l.truncated,
    history: h.rows,
    historyTruncated: h.truncated,
  };
}
export type EnvironmentPage = Awaited<ReturnType<typeof readEnvironment>>;
