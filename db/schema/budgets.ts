import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { teams } from "./org";
import { changeRequests } from "./requests";

// Money is integer minor units of the row's ISO 4217 currency (cents for USD, yen for JPY, fils for KWD).

export const BUDGET_INTERVALS = ["month", "quarter"] as const;
export const COMMITMENT_STATUSES = ["held", "released"] as const;
export const ALERT_BASES = ["actual", "forecast"] as const;
export const ALERT_THRESHOLDS = [50, 80, 100] as const;
export type BudgetInterval = (typeof BUDGET_INTERVALS)[number];
export type AlertBasis = (typeof ALERT_BASES)[number];

export const budgetIntervalEnum = pgEnum("budget_interval", BUDGET_INTERVALS);
export const commitmentStatusEnum = pgEnum("commitment_status", COMMITMENT_STATUSES);
export const alertBasisEnum = pgEnum("budget_alert_basis", ALERT_BASES);

/** A team's budget for one month or quarter; a team's budgets never overlap in time (checked by the verb). */
export const budgets = pgTable(
  "budgets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id),
    interval: budgetIntervalEnum("interval").notNull(),
    periodStart: date("period_start", { mode: "string" }).notNull(),
    periodEnd: date("period_end", { mode: "string" }).notNull(), // exclusive
    currency: text("currency").notNull(),
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
    createdBy: text("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("budgets_team_period").on(t.teamId, t.periodStart, t.interval),
    index("budgets_team_idx").on(t.teamId, t.periodStart),
    check("budgets_amount_non_negative", sql`${t.amountMinor} >= 0`),
  ],
);
export type Budget = typeof budgets.$inferSelect;

/** Actual spend, entered by a manager or an admin or posted over the API; negative amounts are corrections. */
export const budgetSpend = pgTable(
  "budget_spend",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    budgetId: uuid("budget_id")
      .notNull()
      .references(() => budgets.id),
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
    spentOn: date("spent_on", { mode: "string" }).notNull(),
    description: text("description").notNull(),
    // Spend against an approved request consumes that request's commitment.
    requestId: uuid("request_id").references(() => changeRequests.id),
    recordedBy: text("recorded_by").references(() => users.id),
    createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("budget_spend_budget_idx").on(t.budgetId, t.spentOn),
    index("budget_spend_request_idx").on(t.requestId),
  ],
);
export type BudgetSpend = typeof budgetSpend.$inferSelect;

/** What an approved (or budget-passed) request holds against its team's budget until it ends. */
export const budgetCommitments = pgTable(
  "budget_commitments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    budgetId: uuid("budget_id")
      .notNull()
      .references(() => budgets.id),
    requestId: uuid("request_id")
      .notNull()
      .references(() => changeRequests.id),
    revision: integer("revision").notNull(),
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
    status: commitmentStatusEnum("status").notNull().default("held"),
    releaseReason: text("release_reason"),
    createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
    releasedAt: timestamp("released_at", { mode: "date", withTimezone: true }),
  },
  (t) => [
    // A request holds at most one commitment at a time.
    uniqueIndex("budget_commitments_one_held")
      .on(t.requestId)
      .where(sql`${t.status} = 'held'`),
    index("budget_commitments_budget_idx").on(t.budgetId, t.status),
  ],
);
export type BudgetCommitment = typeof budgetCommitments.$inferSelect;

/** Each alert (basis x threshold) goes out once per budget. */
export const budgetAlerts = pgTable(
  "budget_alerts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    budgetId: uuid("budget_id")
      .notNull()
      .references(() => budgets.id),
    basis: alertBasisEnum("basis").notNull(),
    threshold: integer("threshold").notNull(),
    valueMinor: bigint("value_minor", { mode: "number" }).notNull(),
    sentAt: timestamp("sent_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("budget_alerts_once").on(t.budgetId, t.basis, t.threshold)],
);
