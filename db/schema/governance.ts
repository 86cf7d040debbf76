import { boolean, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { roleEnum, teams } from "./org";

export type PolicyConditions = {
  kinds?: string[];
  environments?: string[];
  minRisk?: "low" | "medium" | "high";
  emergency?: boolean;
  teamIds?: string[];
  /** true: only requests with a cost; false: only requests without one. */
  hasCost?: boolean;
  /** Requests whose total cost, in this currency, is at or above the amount (a decimal in major units). */
  costAtLeast?: { amount: string; currency: string };
  /**
   * Requests whose manifest brings any of the named signals (either one is enough); a request with
   * no manifest never matches. Judged when the chain is taken, as the security team's standing
   * decisions (allowlist, ignores, licence overrides) leave the manifest then.
   */
  dependencies?: DependencyConditions;
  /**
   * true: only requests whose model version uses a column (feature or label) that the dataset's
   * latest version changed since the version it was trained on; false: only those that do not.
   */
  usesChangedColumn?: boolean;
};
export const DEPENDENCY_SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type DependencyConditions = {
  /** A package nobody in the organisation used before (and not approved on the allowlist). */
  newToOrg?: boolean;
  /** An open vulnerability at or above this severity (an unrated one counts only for "low"). */
  vulnerabilityAtLeast?: (typeof DEPENDENCY_SEVERITIES)[number];
  /** A package whose licence the licence policy denies. */
  deniedLicence?: boolean;
  /** A package with a malware record. */
  malware?: boolean;
  /** A name close to a popular package's (a possible typosquat). */
  typosquat?: boolean;
  /** A requirement not pinned to one registry version (a range, a URL, a VCS or editable install). */
  unpinned?: boolean;
};
/**
 * Who may not decide a step even when they hold its role: "model_owner", the owner of the request's
 * model; "requester_team", members of the requester's team. Optional: most steps name none.
 */
export const STEP_CONFLICTS = ["model_owner", "requester_team"] as const;
export type StepConflict = (typeof STEP_CONFLICTS)[number];
/**
 * An automated evaluation check (ADR 0024): a rule on the request's model version's metrics. A
 * threshold ("auc >= 0.9"), no worse than the version live in the request's environment by more than
 * a margin (champion/challenger), or metrics that must be present.
 */
export const CHECK_OPS = [">=", ">", "<=", "<"] as const;
export type CheckOp = (typeof CHECK_OPS)[number];
export type CheckRule =
  | { metric: string; op: CheckOp; value: number }
  | { metric: string; noWorseThanLive: { margin: number; higherIsBetter: boolean } }
  | { requiredMetrics: string[] };
/** What a failed check does to the request: closes it, or sends it back to the requester. */
export const CHECK_FAIL_ACTIONS = ["reject", "changes_requested"] as const;
export type CheckFailAction = (typeof CHECK_FAIL_ACTIONS)[number];
/** A check step's rules as a request step holds them (request_steps.check); null for a person's step. */
export type StepCheck = { rules: CheckRule[]; onFail: CheckFailAction };
export const STEP_KINDS = ["approval", "check"] as const;
export type StepKind = (typeof STEP_KINDS)[number];
export type PolicyStep = {
  /** "approval" (absent: a person decides) or "check" (its rules decide; the role may override a failure). */
  kind?: StepKind;
  rules?: CheckRule[];
  onFail?: CheckFailAction;
  name: string;
  role: "requester" | "manager" | "security" | "ml_lead" | "admin";
  scope: "any" | "requester_team";
  quorum: number;
  slaHours: number;
  autoPass: string;
  conflicts?: StepConflict[];
};
export type PolicyDefinition = { conditions: PolicyConditions; stages: PolicyStep[][] };

/** The current definition of each policy; every saved version is kept in approval_policy_versions. */
export const approvalPolicies = pgTable("approval_policies", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  description: text("description").notNull().default(""),
  version: integer("version").notNull().default(1),
  active: boolean("active").notNull().default(true),
  definition: jsonb("definition").$type<PolicyDefinition>().notNull(),
  updatedBy: text("updated_by").references(() => users.id),
  updatedAt: timestamp("updated_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
});
export type ApprovalPolicy = typeof approvalPolicies.$inferSelect;

export const approvalPolicyVersions = pgTable(
  "approval_policy_versions",
  {
    policyId: uuid("policy_id")
      .notNull()
      .references(() => approvalPolicies.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    name: text("name").notNull(),
    active: boolean("active").notNull(),
    definition: jsonb("definition").$type<PolicyDefinition>().notNull(),
    createdBy: text("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("approval_policy_versions_key").on(t.policyId, t.version)],
);

export const delegations = pgTable(
  "delegations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    fromUserId: text("from_user_id")
      .notNull()
      .references(() => users.id),
    toUserId: text("to_user_id")
      .notNull()
      .references(() => users.id),
    startsAt: timestamp("starts_at", { mode: "date", withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { mode: "date", withTimezone: true }).notNull(),
    reason: text("reason").notNull().default(""),
    // Scope: only steps of this role (null: any role the delegator holds), and only requests of this
    // team (null: any team). A delegation never gives a role the delegator does not hold.
    role: roleEnum("role"),
    teamId: uuid("team_id").references(() => teams.id),
    createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { mode: "date", withTimezone: true }),
    revokedBy: text("revoked_by").references(() => users.id),
  },
  (t) => [
    index("delegations_to_idx").on(t.toUserId, t.endsAt),
    index("delegations_from_idx").on(t.fromUserId, t.endsAt),
  ],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // Shown in lists so people can tell tokens apart; the secret part is only ever stored hashed.
    prefix: text("prefix").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { mode: "date", withTimezone: true }),
    revokedAt: timestamp("revoked_at", { mode: "date", withTimezone: true }),
  },
  (t) => [index("api_tokens_user_idx").on(t.userId)],
);
