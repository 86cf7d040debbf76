import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { users } from "./auth";
import { teams } from "./org";
import { changeRequests } from "./requests";

// Dependency review: advisories (an offline snapshot of OSV records), the manifest on a request with
// its parsed dependencies and what the review found, and the security team's reusable allowlist.

export const PACKAGE_DECISIONS = ["pending", "approved", "rejected"] as const;
export const ALLOWLIST_ACTIONS = ["approve", "ignore_vulnerability", "licence_override"] as const;
export type PackageDecision = (typeof PACKAGE_DECISIONS)[number];
export type AllowlistAction = (typeof ALLOWLIST_ACTIONS)[number];

export const packageDecisionEnum = pgEnum("package_decision", PACKAGE_DECISIONS);
export const allowlistActionEnum = pgEnum("allowlist_action", ALLOWLIST_ACTIONS);

/** One OSV record as imported (or fetched); `modified` decides whether a newer copy replaces it. */
export const advisories = pgTable("advisories", {
  id: text("id").primaryKey(),
  modified: timestamp("modified", { mode: "date", withTimezone: true }).notNull(),
  withdrawn: timestamp("withdrawn", { mode: "date", withTimezone: true }),
  summary: text("summary"),
  record: jsonb("record").$type<Record<string, unknown>>().notNull(),
  source: text("source").notNull(),
  importedAt: timestamp("imported_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
});

/** Which packages a record names, so a review loads only the records of its own packages. */
export const advisoryPackages = pgTable(
  "advisory_packages",
  {
    advisoryId: text("advisory_id")
      .notNull()
      .references(() => advisories.id, { onDelete: "cascade" }),
    ecosystem: text("ecosystem").notNull(),
    name: text("name").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.advisoryId, t.ecosystem, t.name] }),
    index("advisory_packages_lookup_idx").on(t.ecosystem, t.name),
  ],
);

/**
 * Licences looked up for packages whose manifest carries none (PACKAGE_METADATA_URL), per release:
 * a release's metadata does not change, so a hit is kept; a miss (null) is asked again after a week.
 */
export const packageLicences = pgTable(
  "package_licences",
  {
    ecosystem: text("ecosystem").notNull(),
    name: text("name").notNull(),
    version: text("version").notNull(),
    licence: text("licence"),
    fetchedAt: timestamp("fetched_at", { mode: "date", withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.ecosystem, t.name, t.version] })],
);

export type ManifestProblem = { line: number | null; message: string; file?: string };

/** The dependency manifest on a request; uploading another one replaces it (and resets approvals in review). */
export const dependencyManifests = pgTable(
  "dependency_manifests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => changeRequests.id, { onDelete: "cascade" }),
    revision: integer("revision").notNull(),
    fileName: text("file_name").notNull(),
    format: text("format").notNull(),
    content: text("content").notNull(),
    target: jsonb("target").$type<Record<string, unknown>>().notNull(),
    errors: jsonb("errors").$type<ManifestProblem[]>().notNull().default([]),
    warnings: jsonb("warnings").$type<ManifestProblem[]>().notNull().default([]),
    // When the advisories were last imported at review time: findings are as of this snapshot.
    advisorySnapshotAt: timestamp("advisory_snapshot_at", { mode: "date", withTimezone: true }),
    uploadedBy: text("uploaded_by").references(() => users.id),
    current: boolean("current").notNull().default(true),
    createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("dependency_manifests_request_idx").on(t.requestId, t.current)],
);
export type DependencyManifest = typeof dependencyManifests.$inferSelect;

export type StoredFinding = {
  primaryId: string;
  ids: string[];
  summary: string | null;
  severity: string;
  score: number | null;
  status: string;
  fixedVersions: string[];
  malware: boolean;
  /**
   * Set when a re-check after an advisory import found it (not the upload review): such a finding at
   * or above high puts the request on the security queue. In the jsonb, so no column is needed.
   */
  recheckedAt?: string;
};
export type StoredSignal = { kind: string; detail: string };

/** One parsed dependency with its review: findings, licence status, signals and the security decision. */
export const requestDependencies = pgTable(
  "request_dependencies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    manifestId: uuid("manifest_id")
      .notNull()
      .references(() => dependencyManifests.id, { onDelete: "cascade" }),
    requestId: uuid("request_id")
      .notNull()
      .references(() => changeRequests.id, { onDelete: "cascade" }),
    ecosystem: text("ecosystem").notNull(),
    name: text("name").notNull(),
    normalizedName: text("normalized_name").notNull(),
    spec: text("spec"),
    pinnedVersion: text("pinned_version"),
    kind: text("kind").notNull(),
    extras: jsonb("extras").$type<string[]>().notNull().default([]),
    marker: text("marker"),
    markerResult: text("marker_result"),
    hashes: jsonb("hashes").$type<string[]>().notNull().default([]),
    direct: boolean("direct").notNull(),
    line: integer("line"),
    url: text("url"),
    licence: text("licence"),
    hasInstallScript: boolean("has_install_script").notNull().default(false),
    findings: jsonb("findings").$type<StoredFinding[]>().notNull().default([]),
    licenceStatus: text("licence_status").notNull(),
    signals: jsonb("signals").$type<StoredSignal[]>().notNull().default([]),
    newToOrg: boolean("new_to_org").notNull(),
    decision: packageDecisionEnum("decision").notNull().default("pending"),
    decisionReason: text("decision_reason"),
    decidedBy: text("decided_by").references(() => users.id),
    decidedAt: timestamp("decided_at", { mode: "date", withTimezone: true }),
    /** When the requester was emailed this decision: decisions go out in batches (lib/security/tell-package-decisions.ts). */
    decisionToldAt: timestamp("decision_told_at", { mode: "date", withTimezone: true }),
  },
  (t) => [
    index("request_dependencies_manifest_idx").on(t.manifestId),
    index("request_dependencies_name_idx").on(t.ecosystem, t.normalizedName),
    // The batch sweep reads only decisions nobody was told of yet: a small partial index, however many rows.
    index("request_dependencies_untold_idx")
      .on(t.requestId, t.decidedAt)
      .where(sql`${t.decidedAt} is not null and ${t.decisionToldAt} is null`),
  ],
);
export type RequestDependency = typeof requestDependencies.$inferSelect;

/** The security team's standing decisions: approve a package range, ignore named vulnerabilities, or override a licence. */
export const allowlistEntries = pgTable(
  "allowlist_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ecosystem: text("ecosystem").notNull(),
    normalizedName: text("normalized_name").notNull(),
    versionRange: text("version_range").notNull(),
    // null = the whole organisation
    teamId: uuid("team_id").references(() => teams.id),
    action: allowlistActionEnum("action").notNull(),
    vulnerabilityIds: jsonb("vulnerability_ids").$type<string[]>().notNull().default([]),
    reason: text("reason").notNull(),
    approvedBy: text("approved_by").references(() => users.id),
    approvedAt: timestamp("approved_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { mode: "date", withTimezone: true }),
    revokedAt: timestamp("revoked_at", { mode: "date", withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { mode: "date", withTimezone: true }),
  },
  (t) => [index("allowlist_entries_name_idx").on(t.ecosystem, t.normalizedName)],
);
export type AllowlistRow = typeof allowlistEntries.$inferSelect;

/** Organisation-wide settings edited in the app (the licence policy: { allowed: string[]; denied: string[] }). */
export const orgSettings = pgTable("org_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").$type<Record<string, unknown>>().notNull(),
  updatedBy: text("updated_by").references(() => users.id),
  updatedAt: timestamp("updated_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
});
