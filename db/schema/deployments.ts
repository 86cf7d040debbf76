import { sql } from "drizzle-orm";
import { index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { models, modelVersions } from "./models";
import { environments } from "./environments";
import { changeRequests } from "./requests";

/** How a version went live: its own request was marked deployed, or a rollback brought it back. */
export const DEPLOYMENT_VIA = ["deployment", "rollback"] as const;
/** Why a live version stopped being live: another went live over it, or it was rolled back. */
export const RETIRED_REASONS = ["superseded", "rolled_back"] as const;
export type DeploymentVia = (typeof DEPLOYMENT_VIA)[number];
export type RetiredReason = (typeof RETIRED_REASONS)[number];

export const deploymentViaEnum = pgEnum("deployment_via", DEPLOYMENT_VIA);
export const retiredReasonEnum = pgEnum("deployment_retired_reason", RETIRED_REASONS);

/**
 * What is live per model and environment, with its history: one row each time a version went live,
 * retired (never deleted) when another takes its place. The partial unique index is what makes
 * "exactly one live" hold even if two writers got past the model lock (lib/requests/live-state.ts).
 */
export const modelDeployments = pgTable(
  "model_deployments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    modelId: uuid("model_id")
      .notNull()
      .references(() => models.id),
    environment: text("environment")
      .notNull()
      .references(() => environments.name),
    modelVersionId: uuid("model_version_id")
      .notNull()
      .references(() => modelVersions.id),
    // The request whose approval covers this version here: its own for a deployment, the earlier
    // request that first shipped it for a rollback.
    requestId: uuid("request_id")
      .notNull()
      .references(() => changeRequests.id),
    via: deploymentViaEnum("via").notNull().default("deployment"),
    deployedAt: timestamp("deployed_at", { mode: "date", withTimezone: true }).notNull(),
    // null: the system (CLI, a job) did it, or the backfill could not tell.
    deployedBy: text("deployed_by").references(() => users.id),
    retiredAt: timestamp("retired_at", { mode: "date", withTimezone: true }),
    retiredBy: text("retired_by").references(() => users.id),
    retiredReason: retiredReasonEnum("retired_reason"),
    // The request that superseded it (a deployment) or was brought back over it (a rollback).
    retiredByRequestId: uuid("retired_by_request_id").references(() => changeRequests.id),
    note: text("note"),
  },
  (t) => [
    uniqueIndex("model_deployments_one_live_key")
      .on(t.modelId, t.environment)
      .where(sql`${t.retiredAt} is null`),
    index("model_deployments_history_idx").on(t.modelId, t.environment, t.deployedAt),
    index("model_deployments_request_idx").on(t.requestId),
  ],
);
export type ModelDeployment = typeof modelDeployments.$inferSelect;
