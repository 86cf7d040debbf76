import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { models, modelVersions } from "./models";
import { changeRequests } from "./requests";
import { users } from "./auth";

// What a firing alert asks for: the environment's live version rolled back, or the model retrained.
export const MONITORING_ACTIONS = ["rollback", "retrain"] as const;
export type MonitoringAction = (typeof MONITORING_ACTIONS)[number];
export const monitoringActionEnum = pgEnum("monitoring_action", MONITORING_ACTIONS);

// What became of one alert in one delivery: a request opened, added to (fired again), a repeat
// notification of a firing already on a request, a resolution noted, or ignored (with the reason).
export const ALERT_OUTCOMES = ["opened", "added", "repeat", "resolved", "ignored"] as const;
export type AlertOutcome = (typeof ALERT_OUTCOMES)[number];
export const alertOutcomeEnum = pgEnum("monitoring_alert_outcome", ALERT_OUTCOMES);

/**
 * The organisation's monitoring settings: one row (id 1), written by admins. Which alert labels name
 * the model, its version and the environment, and per alert name what a firing asks for.
 * No row means the defaults (lib/monitoring/settings.ts).
 */
export const monitoringSettings = pgTable("monitoring_settings", {
  id: integer("id").primaryKey().default(1),
  modelLabel: text("model_label").notNull().default("model"),
  versionLabel: text("version_label").notNull().default("model_version"),
  environmentLabel: text("environment_label").notNull().default("environment"),
  // For alert names not listed in `actions`.
  defaultAction: monitoringActionEnum("default_action").notNull().default("rollback"),
  actions: jsonb("actions").$type<Record<string, MonitoringAction>>().notNull().default({}),
  updatedBy: text("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: timestamp("updated_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
});
export type MonitoringSettingsRow = typeof monitoringSettings.$inferSelect;

/**
 * One alert (by its fingerprint, on one model version in one environment) folded into the request it
 * opened. Open while closed_at is null: at most one open link per key (the partial unique index), so
 * the same alert delivered twice at once opens one request. A link closes when its request has
 * finished (rejected, withdrawn, rolled back...): the next firing then opens a new request.
 */
export const monitoringAlertLinks = pgTable(
  "monitoring_alert_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    fingerprint: text("fingerprint").notNull(),
    alertName: text("alert_name").notNull(),
    source: text("source").notNull(),
    modelId: uuid("model_id")
      .notNull()
      .references(() => models.id),
    modelVersionId: uuid("model_version_id")
      .notNull()
      .references(() => modelVersions.id),
    environment: text("environment").notNull(),
    action: monitoringActionEnum("action").notNull(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => changeRequests.id, { onDelete: "cascade" }),
    // firing or resolved, as last heard.
    status: text("status").notNull(),
    // When the current firing started (Alertmanager's startsAt): a new value is the alert firing again.
    startsAt: timestamp("starts_at", { mode: "date", withTimezone: true }),
    firings: integer("firings").notNull().default(1),
    deliveries: integer("deliveries").notNull().default(1),
    labels: jsonb("labels").$type<Record<string, string>>().notNull().default({}),
    annotations: jsonb("annotations").$type<Record<string, string>>().notNull().default({}),
    generatorUrl: text("generator_url"),
    firstSeenAt: timestamp("first_seen_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { mode: "date", withTimezone: true }),
    closedAt: timestamp("closed_at", { mode: "date", withTimezone: true }),
  },
  (t) => [
    uniqueIndex("monitoring_alert_links_open_key")
      .on(t.fingerprint, t.modelVersionId, t.environment)
      .where(sql`closed_at is null`),
    index("monitoring_alert_links_request_idx").on(t.requestId),
  ],
);
export type MonitoringAlertLink = typeof monitoringAlertLinks.$inferSelect;

/** Every alert received, with what became of it: the admin page's log, newest first. */
export const monitoringAlertLog = pgTable(
  "monitoring_alert_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    receivedAt: timestamp("received_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
    source: text("source").notNull(),
    alertName: text("alert_name").notNull(),
    status: text("status").notNull(),
    fingerprint: text("fingerprint").notNull(),
    model: text("model"),
    version: text("version"),
    environment: text("environment"),
    labels: jsonb("labels").$type<Record<string, string>>().notNull().default({}),
    outcome: alertOutcomeEnum("outcome").notNull(),
    reason: text("reason"),
    // No foreign key: the log outlives what it names.
    requestNumber: integer("request_number"),
    receivedBy: text("received_by"),
  },
  (t) => [index("monitoring_alert_log_received_idx").on(t.receivedAt)],
);
export type MonitoringAlertLogRow = typeof monitoringAlertLog.$inferSelect;
