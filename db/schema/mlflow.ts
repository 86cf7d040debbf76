import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { modelVersions, models } from "./models";
import { changeRequests } from "./requests";

/**
 * The MLflow tracking server Greenlight imports from and writes back to (ADR 0022). One per
 * installation: `slot` is always "default" and unique, so a second connect updates the first.
 */
export const mlflowConnections = pgTable("mlflow_connections", {
  id: uuid("id").primaryKey().defaultRandom(),
  slot: text("slot").notNull().default("default").unique(),
  url: text("url").notNull(),
  // Sent as `Authorization: Bearer`; never returned by the API or shown after saving.
  token: text("token"),
  // A Databricks workspace host: links to versions then point at its UI rather than MLflow's.
  databricksHost: text("databricks_host"),
  // Environment name -> the alias set on the version deployed there ("production"); absent: none.
  aliases: jsonb("aliases").$type<Record<string, string>>().notNull().default({}),
  createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
  // A running sync holds the lease until this time (renewed per page); a crashed one lets it lapse.
  syncLeaseUntil: timestamp("sync_lease_until", { mode: "date", withTimezone: true }),
  syncStartedAt: timestamp("sync_started_at", { mode: "date", withTimezone: true }),
  syncFinishedAt: timestamp("sync_finished_at", { mode: "date", withTimezone: true }),
  // What the running (or last) sync is doing, for the admin page: { model, pages, imported }.
  syncProgress: jsonb("sync_progress").$type<{ model: string | null; pages: number; imported: number }>(),
  lastSyncError: text("last_sync_error"),
});
export type MlflowConnection = typeof mlflowConnections.$inferSelect;

/** A registered model an admin picked: its versions are imported into `modelId` (owned by a team). */
export const mlflowModels = pgTable(
  "mlflow_models",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => mlflowConnections.id, { onDelete: "cascade" }),
    mlflowName: text("mlflow_name").notNull(),
    modelId: uuid("model_id")
      .notNull()
      .references(() => models.id),
    // The author recorded on imported versions (a version needs a person; it is who chose to import).
    pickedBy: text("picked_by")
      .notNull()
      .references(() => users.id),
    pickedAt: timestamp("picked_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
    // Where an interrupted pass over this model's versions resumes (MLflow's next_page_token); null:
    // the next pass starts at the first page.
    pageToken: text("page_token"),
    importedCount: integer("imported_count").notNull().default(0),
    lastSyncedAt: timestamp("last_synced_at", { mode: "date", withTimezone: true }),
    lastError: text("last_error"),
  },
  (t) => [
    uniqueIndex("mlflow_models_connection_name_idx").on(t.connectionId, t.mlflowName),
    uniqueIndex("mlflow_models_model_idx").on(t.modelId),
  ],
);
export type MlflowModel = typeof mlflowModels.$inferSelect;

/**
 * Which Greenlight versions came from MLflow, and from where. Outlives the connection (the versions
 * do), so its connection reference is set null on disconnect; the unique key makes import idempotent.
 */
export const mlflowVersionLinks = pgTable(
  "mlflow_version_links",
  {
    modelVersionId: uuid("model_version_id")
      .primaryKey()
      .references(() => modelVersions.id),
    connectionId: uuid("connection_id").references(() => mlflowConnections.id, { onDelete: "set null" }),
    trackingUrl: text("tracking_url").notNull(),
    mlflowName: text("mlflow_name").notNull(),
    mlflowVersion: text("mlflow_version").notNull(),
    runId: text("run_id"),
    importedAt: timestamp("imported_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("mlflow_version_links_key_idx").on(t.connectionId, t.mlflowName, t.mlflowVersion)],
);
export type MlflowVersionLink = typeof mlflowVersionLinks.$inferSelect;

// pending: due at next_attempt_at; sending: claimed by a worker; done: MLflow accepted every call;
// failed: out of attempts (shown on the admin page; the approval itself never depended on it).
export const MLFLOW_WRITE_BACK_STATES = ["pending", "sending", "done", "failed"] as const;
export const mlflowWriteBackStateEnum = pgEnum("mlflow_write_back_state", MLFLOW_WRITE_BACK_STATES);

/**
 * The outbox of writes to MLflow: inserted in the transaction that approved, deployed, revoked or
 * rolled back the request, performed after commit by the write-back job.
 */
export const mlflowWriteBacks = pgTable(
  "mlflow_write_backs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => mlflowConnections.id, { onDelete: "cascade" }),
    requestId: uuid("request_id")
      .notNull()
      .references(() => changeRequests.id),
    requestNumber: integer("request_number").notNull(),
    mlflowName: text("mlflow_name").notNull(),
    mlflowVersion: text("mlflow_version").notNull(),
    // The request's status as MLflow users should read it: approved, deployed, revoked, rolled_back.
    status: text("status").notNull(),
    // Set this alias on the version too (a deployment to an environment that has one).
    alias: text("alias"),
    state: mlflowWriteBackStateEnum("state").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
    sendingSince: timestamp("sending_since", { mode: "date", withTimezone: true }),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
    doneAt: timestamp("done_at", { mode: "date", withTimezone: true }),
  },
  (t) => [
    index("mlflow_write_backs_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`state in ('pending', 'sending')`),
    index("mlflow_write_backs_version_idx").on(t.mlflowName, t.mlflowVersion, t.createdAt),
  ],
);
export type MlflowWriteBack = typeof mlflowWriteBacks.$inferSelect;
