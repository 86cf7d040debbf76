import { index, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { datasetVersions } from "./datasets";
import { teams } from "./org";

export const models = pgTable("models", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  teamId: uuid("team_id")
    .notNull()
    .references(() => teams.id),
  description: text("description").notNull().default(""),
  ownerId: text("owner_id")
    .notNull()
    .references(() => users.id),
  createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
});
export type Model = typeof models.$inferSelect;

// Immutable once written: a trigger (migration 0003) refuses UPDATE and DELETE.
export const modelVersions = pgTable(
  "model_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    modelId: uuid("model_id")
      .notNull()
      .references(() => models.id),
    version: text("version").notNull(),
    sourceUri: text("source_uri").notNull(),
    gitCommit: text("git_commit"),
    // The artifact's content digest, "sha256:<64 lowercase hex>": what approvals, the gate and receipts
    // bind to. Null for versions registered before digests were recorded (and optional at registration);
    // a production deployment cannot be submitted without one. sourceUri stays the free-text location.
    artifactDigest: text("artifact_digest"),
    trainingRunId: text("training_run_id"),
    framework: text("framework").notNull(),
    hyperparameters: jsonb("hyperparameters").$type<Record<string, unknown>>().notNull(),
    datasetName: text("dataset_name").notNull(),
    datasetVersion: text("dataset_version").notNull(),
    // The data dictionary's version it was trained on, and the columns it reads (null: not linked,
    // as for every version registered before the dictionary existed). datasetName/datasetVersion
    // then repeat that version's names.
    datasetVersionId: uuid("dataset_version_id").references(() => datasetVersions.id),
    features: jsonb("features").$type<string[]>(),
    label: text("label"),
    metrics: jsonb("metrics").$type<Record<string, unknown>>().notNull(),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("model_versions_model_version_key").on(t.modelId, t.version),
    index("model_versions_created_idx").on(t.modelId, t.createdAt),
    index("model_versions_dataset_version_idx").on(t.datasetVersionId),
  ],
);
export type ModelVersion = typeof modelVersions.$inferSelect;
