import { index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { teams } from "./org";

// The data dictionary: datasets, their versions, and each version's column definitions. A version is
// never changed once written (an edit is a new version), so a dataset's versions are its history and a
// model version can name the exact columns it was trained on (model_versions.dataset_version_id).

/** Frictionless Table Schema field types (v1): what a column's `type` may be. */
export const FIELD_TYPES = [
  "string",
  "number",
  "integer",
  "boolean",
  "object",
  "array",
  "date",
  "time",
  "datetime",
  "year",
  "yearmonth",
  "duration",
  "geopoint",
  "geojson",
  "any",
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Table Schema constraints other than `required` (that one is the column's `nullable`, inverted). */
export type ColumnConstraints = {
  unique?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number | string;
  maximum?: number | string;
  pattern?: string;
  enum?: (string | number | boolean | null)[];
};

/** One column of a dataset version, as Greenlight keeps it (lib/datasets/table-schema.ts maps it to and from Table Schema). */
export type DatasetColumn = {
  name: string;
  type: FieldType;
  format: string | null;
  title: string | null;
  /** What the column means: Table Schema's `description`. */
  description: string;
  unit: string | null;
  nullable: boolean;
  constraints: ColumnConstraints;
  /** How the column is populated (a pipeline, a form, a join): free text. */
  populatedBy: string | null;
  /** The team that owns the column's content, by name (it may be another team than the dataset's). */
  owningTeam: string | null;
  examples: (string | number | boolean | null)[];
  /** Other properties of the Table Schema field descriptor (trueValues, rdfType...), kept as given. */
  extra: Record<string, unknown>;
};

export const datasets = pgTable("datasets", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  teamId: uuid("team_id")
    .notNull()
    .references(() => teams.id),
  description: text("description").notNull().default(""),
  createdBy: text("created_by")
    .notNull()
    .references(() => users.id),
  createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
});
export type Dataset = typeof datasets.$inferSelect;

export const datasetVersions = pgTable(
  "dataset_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    datasetId: uuid("dataset_id")
      .notNull()
      .references(() => datasets.id),
    version: text("version").notNull(),
    // 1, 2, 3... in the order versions were created: "the latest" is the highest.
    seq: integer("seq").notNull(),
    columns: jsonb("columns").$type<DatasetColumn[]>().notNull(),
    primaryKey: jsonb("primary_key").$type<string[]>().notNull().default([]),
    missingValues: jsonb("missing_values").$type<string[]>().notNull().default([""]),
    foreignKeys: jsonb("foreign_keys").$type<unknown[]>().notNull().default([]),
    note: text("note").notNull().default(""),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("dataset_versions_dataset_version_key").on(t.datasetId, t.version),
    unique("dataset_versions_dataset_seq_key").on(t.datasetId, t.seq),
    index("dataset_versions_created_idx").on(t.datasetId, t.createdAt),
  ],
);
export type DatasetVersion = typeof datasetVersions.$inferSelect;
