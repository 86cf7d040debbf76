import { sql } from "drizzle-orm";
import { type AnyPgColumn, boolean, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The places a model version can be deployed to, defined by admins. The name is the environment's
 * identity: requests, live deployments and policy conditions hold it, so it is never renamed (an
 * environment that is no longer used is archived, and the requests that named it keep it).
 */
export const environments = pgTable(
  "environments",
  {
    name: text("name").primaryKey(),
    description: text("description").notNull().default(""),
    // Promotion order: lower comes first (development < staging < production).
    position: integer("position").notNull(),
    // Protected environments bind approvals to artifact bytes (a digest is required), raise a
    // deployment's risk, and are the only ones where a change may be an emergency.
    protected: boolean("protected").notNull().default(false),
    // A version must have been deployed there (and not rolled back) before a request to deploy it here
    // is submitted. Always an earlier environment.
    requiresDeployedIn: text("requires_deployed_in").references((): AnyPgColumn => environments.name),
    archivedAt: timestamp("archived_at", { mode: "date", withTimezone: true }),
    createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("environments_order_idx")
      .on(t.position, t.name)
      .where(sql`${t.archivedAt} is null`),
  ],
);
export type EnvironmentRow = typeof environments.$inferSelect;

/** What a fresh installation (and an upgraded one) starts with. */
export const DEFAULT_ENVIRONMENTS = [
  { name: "development", position: 10, protected: false, description: "Experiments and integration work." },
  { name: "staging", position: 20, protected: false, description: "Pre-release checks on production-like data." },
  { name: "production", position: 30, protected: true, description: "Serves real users." },
] as const;

/** Lower-case letters, digits and dashes, as used in URLs and CI configuration. */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
