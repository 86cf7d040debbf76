import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgSequence,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import type { CostBenefitAnalysis, ProvisioningLine } from "./cost-benefit";
import type { StepCheck } from "./governance";
import { users } from "./auth";
import { modelVersions } from "./models";
import { environments } from "./environments";
import { roleEnum, teams } from "./org";

export const REQUEST_KINDS = ["deployment", "provisioning", "dependency_adoption"] as const;
export const RISKS = ["low", "medium", "high"] as const;
export const REQUEST_STATUSES = [
  "draft",
  "in_review",
  "changes_requested",
  "approved",
  "rejected",
  "withdrawn",
  "deployed",
  "rolled_back",
  "expired",
  "revoked",
] as const;
// How a deployed change turned out, recorded once by its requester or an ML lead; rolled_back only
// through the rollback verb, which also makes the previous version live again.
export const DEPLOYMENT_OUTCOMES = ["successful", "successful_with_issues", "rolled_back"] as const;
export const STEP_STATUSES = ["pending", "approved", "rejected", "changes_requested", "auto_passed"] as const;
export const DECISIONS = ["approve", "reject", "request_changes"] as const;
export const STEP_SCOPES = ["any", "requester_team"] as const;

export type RequestKind = (typeof REQUEST_KINDS)[number];
/** An environment's name (db/schema/environments.ts): environments are data, defined by admins. */
export type Environment = string;
export type Risk = (typeof RISKS)[number];
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export type DeploymentOutcome = (typeof DEPLOYMENT_OUTCOMES)[number];
export type StepStatus = (typeof STEP_STATUSES)[number];
export type DecisionKind = (typeof DECISIONS)[number];
export type StepScope = (typeof STEP_SCOPES)[number];

export const requestKindEnum = pgEnum("request_kind", REQUEST_KINDS);
export const riskEnum = pgEnum("risk", RISKS);
export const requestStatusEnum = pgEnum("request_status", REQUEST_STATUSES);
export const deploymentOutcomeEnum = pgEnum("deployment_outcome", DEPLOYMENT_OUTCOMES);
export const stepStatusEnum = pgEnum("step_status", STEP_STATUSES);
export const decisionEnum = pgEnum("decision", DECISIONS);
export const stepScopeEnum = pgEnum("step_scope", STEP_SCOPES);

// CR-<n>: gap-free enough for people, unique for machines.
export const requestNumberSeq = pgSequence("change_request_number_seq", { startWith: 1001 });

export const changeRequests = pgTable(
  "change_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: integer("number")
      .notNull()
      .unique()
      .default(sql`nextval('change_request_number_seq')`),
    kind: requestKindEnum("kind").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    modelVersionId: uuid("model_version_id").references(() => modelVersions.id),
    environment: text("environment")
      .notNull()
      .references(() => environments.name),
    risk: riskEnum("risk").notNull().default("medium"),
    // What the facts say, never lower than what the requester declared: the highest of the declared
    // risk and every fact that raises it (lib/requests/risk.ts), with the facts that did. Policies
    // match on this.
    effectiveRisk: riskEnum("effective_risk").notNull().default("medium"),
    riskFactors: jsonb("risk_factors").$type<RiskFactor[]>().notNull().default([]),
    emergency: boolean("emergency").notNull().default(false),
    status: requestStatusEnum("status").notNull().default("draft"),
    // The money side: the cost-benefit analysis and resource lines as entered (validated), and the
    // undiscounted total cost derived from them, which routing and budgets use.
    costBenefit: jsonb("cost_benefit").$type<CostBenefitAnalysis>(),
    provisioning: jsonb("provisioning").$type<ProvisioningLine[]>().notNull().default([]),
    currency: text("currency"),
    totalCostMinor: bigint("total_cost_minor", { mode: "number" }),
    revision: integer("revision").notNull().default(1),
    requestedBy: text("requested_by")
      .notNull()
      .references(() => users.id),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id),
    submittedAt: timestamp("submitted_at", { mode: "date", withTimezone: true }),
    decidedAt: timestamp("decided_at", { mode: "date", withTimezone: true }),
    approvalExpiresAt: timestamp("approval_expires_at", { mode: "date", withTimezone: true }),
    // Emergency changes: the gate opened on one ML lead approval; the rest is due by this time.
    retroDueAt: timestamp("retro_due_at", { mode: "date", withTimezone: true }),
    // The requester was told the approval is about to lapse (sent once per approval).
    expiryRemindedAt: timestamp("expiry_reminded_at", { mode: "date", withTimezone: true }),
    deployedAt: timestamp("deployed_at", { mode: "date", withTimezone: true }),
    revokedAt: timestamp("revoked_at", { mode: "date", withTimezone: true }),
    // The deployed change closed with how it went (lib/requests/record-outcome.ts, rollback.ts).
    outcome: deploymentOutcomeEnum("outcome"),
    outcomeNote: text("outcome_note"),
    outcomeAt: timestamp("outcome_at", { mode: "date", withTimezone: true }),
    outcomeBy: text("outcome_by").references(() => users.id),
    createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("change_requests_status_idx").on(t.status, t.updatedAt),
    index("change_requests_requester_idx").on(t.requestedBy, t.updatedAt),
    index("change_requests_team_idx").on(t.teamId, t.updatedAt),
    index("change_requests_version_env_idx").on(t.modelVersionId, t.environment, t.status),
    // Insights read requests by when they were submitted and decided (a period's lead times and costs).
    index("change_requests_submitted_idx").on(t.submittedAt),
    index("change_requests_decided_idx").on(t.decidedAt),
  ],
);
export type ChangeRequest = typeof changeRequests.$inferSelect;

/** A fact that raised a request's effective risk ("production deployment" -> medium). */
export type RiskFactor = { fact: string; risk: Risk; detail?: string };

/** The approval chain as snapshotted at submission; policy edits never reach requests in flight. */
export const requestSteps = pgTable(
  "request_steps",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => changeRequests.id, { onDelete: "cascade" }),
    revision: integer("revision").notNull(),
    stage: integer("stage").notNull(),
    name: text("name").notNull(),
    role: roleEnum("role").notNull(),
    scope: stepScopeEnum("scope").notNull(),
    // The team a "requester_team" step is scoped to, resolved when the chain is snapshotted (null for "any").
    teamId: uuid("team_id").references(() => teams.id),
    quorum: integer("quorum").notNull(),
    slaHours: integer("sla_hours").notNull(),
    autoPass: text("auto_pass").notNull().default("never"),
    policies: jsonb("policies").$type<{ id: string; name: string; version: number }[]>().notNull(),
    status: stepStatusEnum("status").notNull().default("pending"),
    approvals: integer("approvals").notNull().default(0),
    reason: text("reason"),
    // A check step's rules (ADR 0024): it is decided by them when its stage opens, the figures going
    // to evidence; null for a step a person decides.
    check: jsonb("check").$type<StepCheck>(),
    // The figures behind an auto-pass (budget position, allowlist entries), kept with the reason.
    evidence: jsonb("evidence").$type<Record<string, unknown>>(),
    openedAt: timestamp("opened_at", { mode: "date", withTimezone: true }),
    // Chasing an open step: one reminder per SLA period past due, one escalation at twice the SLA.
    remindersSent: integer("reminders_sent").notNull().default(0),
    lastRemindedAt: timestamp("last_reminded_at", { mode: "date", withTimezone: true }),
    escalatedAt: timestamp("escalated_at", { mode: "date", withTimezone: true }),
    completedAt: timestamp("completed_at", { mode: "date", withTimezone: true }),
  },
  (t) => [
    index("request_steps_request_idx").on(t.requestId, t.revision, t.stage),
    // The inbox: pending steps of my roles, for "any" or for my teams.
    index("request_steps_open_idx").on(t.status, t.role, t.teamId),
    // Insights: steps completed in a period, and the open steps' ages (ADR 0019).
    index("request_steps_completed_idx").on(t.completedAt),
    index("request_steps_waiting_idx")
      .on(t.openedAt)
      .where(sql`${t.status} = 'pending'`),
  ],
);
export type RequestStep = typeof requestSteps.$inferSelect;

export const decisions = pgTable(
  "decisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => changeRequests.id, { onDelete: "cascade" }),
    stepId: uuid("step_id")
      .notNull()
      .references(() => requestSteps.id, { onDelete: "cascade" }),
    revision: integer("revision").notNull(),
    actorId: text("actor_id")
      .notNull()
      .references(() => users.id),
    // Who counts: the actor, or the person they stand in for under a delegation.
    principalId: text("principal_id")
      .notNull()
      .references(() => users.id),
    onBehalfOf: text("on_behalf_of").references(() => users.id),
    decision: decisionEnum("decision").notNull(),
    comment: text("comment"),
    createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
  },
  // A person counts once per request revision, however many steps they could decide.
  (t) => [
    unique("decisions_once_per_revision").on(t.requestId, t.revision, t.principalId),
    index("decisions_actor_idx").on(t.actorId, t.createdAt),
    // Insights: decisions per approver in a period.
    index("decisions_created_idx").on(t.createdAt),
  ],
);
export type Decision = typeof decisions.$inferSelect;

export const comments = pgTable(
  "comments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => changeRequests.id, { onDelete: "cascade" }),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    body: text("body").notNull(),
    mentions: jsonb("mentions").$type<string[]>().notNull().default([]),
    createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("comments_request_idx").on(t.requestId, t.createdAt)],
);
