import "server-only";
import { and, asc, count, desc, eq, inArray, isNull } from "drizzle-orm";
import {
  environments,
  mlflowConnections,
  mlflowModels,
  mlflowVersionLinks,
  mlflowWriteBacks,
  models,
  teams,
} from "@/db/schema";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { mayBrowseModels } from "../models/permissions";
import { mayAdminister } from "../users/permissions";
import { listRegisteredModelNames, MlflowError } from "./client";
import { loadConnection } from "./connection";
import { versionLink } from "./mapping";

export type MlflowAdminView = {
  connection: {
    url: string;
    /** Whether a token is saved: the token itself is never read out. */
    tokenSet: boolean;
    databricksHost: string | null;
    syncing: boolean;
    syncStartedAt: Date | null;
    syncFinishedAt: Date | null;
    progress: { model: string | null; pages: number; imported: number } | null;
    lastSyncError: string | null;
  } | null;
  models: {
    id: string;
    mlflowName: string;
    model: string;
    team: string;
    importedCount: number;
    lastSyncedAt: Date | null;
    /** A pass stopped part-way: the next sync resumes at the saved page. */
    midPass: boolean;
    lastError: string | null;
  }[];
  aliases: { environment: string; alias: string | null }[];
  writeBacks: {
    pending: number;
    failed: number;
    done: number;
    recentProblems: {
      number: number;
      mlflowName: string;
      mlflowVersion: string;
      status: string;
      state: string;
      attempts: number;
      lastError: string | null;
    }[];
  };
  teams: { id: string; name: string }[];
};

/** Everything the admin page (and GET /api/v1/mlflow) shows about the MLflow sync; admins only. */
export async function readMlflowAdmin(ctx: UserContext): Promise<MlflowAdminView> {
  permit(mayAdminister(ctx.actor), "This needs the admin role.");
  const { db } = ctx;
  const now = ctx.now ?? new Date();
  const connection = await loadConnection(db);
  const allTeams = await db.select({ id: teams.id, name: teams.name }).from(teams).orderBy(asc(teams.name));
  const envs = await db
    .select({ name: environments.name })
    .from(environments)
    .where(isNull(environments.archivedAt))
    .orderBy(asc(environments.position));
  if (!connection)
    return {
      connection: null,
      models: [],
      aliases: envs.map((e) => ({ environment: e.name, alias: null })),
      writeBacks: { pending: 0, failed: 0, done: 0, recentProblems: [] },
      teams: allTeams,
    };
  const picked = await db
    .select({
      id: mlflowModels.id,
      mlflowName: mlflowModels.mlflowName,
      model: models.name,
      team: teams.name,
      importedCount: mlflowModels.importedCount,
      lastSyncedAt: mlflowModels.lastSyncedAt,
      pageToken: mlflowModels.pageToken,
      lastError: mlflowModels.lastError,
    })
    .from(mlflowModels)
    .innerJoin(models, eq(models.id, mlflowModels.modelId))
    .innerJoin(teams, eq(teams.id, models.teamId))
    .where(eq(mlflowModels.connectionId, connection.id))
    .orderBy(asc(mlflowModels.mlflowName));
  const states = await db
    .select({ state: mlflowWriteBacks.state, n: count() })
    .from(mlflowWriteBacks)
    .where(eq(mlflowWriteBacks.connectionId, connection.id))
    .groupBy(mlflowWriteBacks.state);
  const n = (state: string) => states.filter((s) => s.state === state).reduce((sum, s) => sum + s.n, 0);
  const problems = await db
    .select({
      number: mlflowWriteBacks.requestNumber,
      mlflowName: mlflowWriteBacks.mlflowName,
      mlflowVersion: mlflowWriteBacks.mlflowVersion,
      status: mlflowWriteBacks.status,
      state: mlflowWriteBacks.state,
      attempts: mlflowWriteBacks.attempts,
      lastError: mlflowWriteBacks.lastError,
    })
    .from(mlflowWriteBacks)
    .where(
      and(
        eq(mlflowWriteBacks.connectionId, connection.id),
        inArray(mlflowWriteBacks.state, ["pending", "sending", "failed"]),
      ),
    )
    .orderBy(desc(mlflowWriteBacks.createdAt))
    .limit(20);
  return {
    connection: {
      url: connection.url,
      tokenSet: Boolean(connection.token),
      databricksHost: connection.databricksHost,
      syncing: Boolean(connection.syncLeaseUntil && connection.syncLeaseUntil > now),
      syncStartedAt: connection.syncStartedAt,
      syncFinishedAt: connection.syncFinishedAt,
      progress: connection.syncProgress ?? null,
      lastSyncError: connection.lastSyncError,
    },
    models: picked.map(({ pageToken, ...m }) => ({ ...m, midPass: pageToken !== null })),
    aliases: envs.map((e) => ({ environment: e.name, alias: connection.aliases[e.name] ?? null })),
    writeBacks: {
      pending: n("pending") + n("sending"),
      failed: n("failed"),
      done: n("done"),
      recentProblems: problems.filter((p) => p.state === "failed" || p.lastError !== null),
    },
    teams: allTeams,
  };
}

/** The registered models MLflow lists, for the picker; a problem reaching it is returned, not thrown. */
export async function readRegistryModelNames(ctx: UserContext): Promise<{ names: string[]; problem: string | null }> {
  permit(mayAdminister(ctx.actor), "This needs the admin role.");
  const connection = await loadConnection(ctx.db);
  if (!connection) return { names: [], problem: null };
  try {
    return { names: await listRegisteredModelNames(connection), problem: null };
  } catch (error) {
    if (error instanceof MlflowError) return { names: [], problem: error.message };
    throw error;
  }
}

/**
 * Where a version came from when it was imported from MLflow (null: registered in Greenlight), with a
 * link to it in MLflow's (or the Databricks workspace's) UI; for anyone who may browse models.
 */
export async function readMlflowOrigin(
  ctx: UserContext,
  modelVersionId: string,
): Promise<{ mlflowName: string; mlflowVersion: string; runId: string | null; href: string } | null> {
  permit(mayBrowseModels(ctx.actor), "Sign in to see the models.");
  const [link] = await ctx.db
    .select({
      mlflowName: mlflowVersionLinks.mlflowName,
      mlflowVersion: mlflowVersionLinks.mlflowVersion,
      runId: mlflowVersionLinks.runId,
      trackingUrl: mlflowVersionLinks.trackingUrl,
      databricksHost: mlflowConnections.databricksHost,
    })
    .from(mlflowVersionLinks)
    .leftJoin(mlflowConnections, eq(mlflowConnections.id, mlflowVersionLinks.connectionId))
    .where(eq(mlflowVersionLinks.modelVersionId, modelVersionId));
  if (!link) return null;
  return {
    mlflowName: link.mlflowName,
    mlflowVersion: link.mlflowVersion,
    runId: link.runId,
    href: versionLink(
      { url: link.trackingUrl, databricksHost: link.databricksHost },
      link.mlflowName,
      link.mlflowVersion,
    ),
  };
}
