import "server-only";
import type { Db, Tx } from "@/db";
import type { ChangeRequest } from "@/db/schema";
import { atLeast, coveringEntries, entriesIgnoring, licenceOverride, type SeverityLevel } from "../dependencies/review";
import { activeAllowlist } from "./allowlist";
import { currentManifest, reviewedDependency } from "./manifest-review";
import { findingFromStore } from "./review";

/** Counts of the manifest's signals, and its worst open vulnerability (null when there is none). */
export type DependencySignals = {
  newToOrg: number;
  deniedLicence: number;
  malware: number;
  typosquat: number;
  unpinned: number;
  worstVulnerability: "unknown" | "low" | "medium" | "high" | "critical" | null;
};

/** What the request's current manifest says about its risk (lib/requests/risk.ts turns it into a level). */
export type ManifestRiskFacts = {
  /** Packages nobody in the organisation used before, and not on the allowlist since. */
  newToOrg: string[];
  /** Open (not dismissed by an ignore entry) vulnerabilities rated high or critical. */
  vulnerable: { name: string; id: string }[];
  /** Packages whose licence the policy denies, with no licence override. */
  deniedLicence: { name: string; licence: string | null }[];
  /** Packages with a malware record. */
  malware: string[];
  /** Every open vulnerability (any severity, "unknown" when unrated), for policies that route on them. */
  vulnerabilities: { name: string; id: string; severity: SeverityLevel }[];
  /** Packages whose name is close to a popular one's. */
  typosquats: string[];
  /** Requirements not pinned to one registry version (ranges, URLs, VCS and editable installs). */
  unpinned: string[];
};

/**
 * The facts of the request's current manifest as the security team's standing decisions leave them
 * now: findings an active ignore entry dismisses are not open, a licence override lifts a denial, and
 * a package approved on the allowlist is no longer new. null when the request has no manifest.
 */
export async function manifestRiskFacts(
  tx: Db | Tx,
  request: Pick<ChangeRequest, "id" | "teamId">,
  now: Date,
): Promise<ManifestRiskFacts | null> {
  const current = await currentManifest(tx, request.id);
  if (!current) return null;
  const entries = await activeAllowlist(tx, now);
  const ctx = { teamId: request.teamId, now };
  const facts: ManifestRiskFacts = {
    newToOrg: [],
    vulnerable: [],
    deniedLicence: [],
    malware: [],
    vulnerabilities: [],
    typosquats: [],
    unpinned: [],
  };
  // Only dependencies installed on the target count (a marker that is false means "not installed there").
  for (const row of current.deps.filter((d) => d.markerResult !== "false")) {
    const dep = reviewedDependency(row);
    const covering = coveringEntries(dep, entries, ctx);
    if (row.findings.some((f) => f.malware) || row.signals.some((s) => s.kind === "malware"))
      facts.malware.push(row.name);
    if (row.signals.some((s) => s.kind === "typosquat")) facts.typosquats.push(row.name);
    if (row.kind !== "pinned") facts.unpinned.push(row.name);
    for (const stored of row.findings) {
      // A malware record is its own fact (above), not a vulnerability to weigh by severity.
      if (stored.malware) continue;
      if (entriesIgnoring(findingFromStore(dep, stored), covering).length) continue;
      const severity = stored.severity as SeverityLevel;
      facts.vulnerabilities.push({ name: row.name, id: stored.primaryId, severity });
      if (atLeast(severity, "high")) facts.vulnerable.push({ name: row.name, id: stored.primaryId });
    }
    if (row.licenceStatus === "denied" && !licenceOverride(dep, entries, ctx))
      facts.deniedLicence.push({ name: row.name, licence: row.licence });
    if (row.newToOrg && !covering.some((e) => e.action === "approve")) facts.newToOrg.push(row.name);
  }
  return facts;
}

const WORST_FIRST = ["unknown", "critical", "high", "medium", "low"] as const;

/** The manifest's facts as counts for policy conditions (lib/policies/chain.ts); null without a manifest. */
export function dependencySignals(facts: ManifestRiskFacts | null): DependencySignals | null {
  if (!facts) return null;
  const present = new Set(facts.vulnerabilities.map((v) => v.severity));
  return {
    newToOrg: facts.newToOrg.length,
    deniedLicence: facts.deniedLicence.length,
    malware: facts.malware.length,
    typosquat: facts.typosquats.length,
    unpinned: facts.unpinned.length,
    // Unrated first: it may be the worst of all, and policies treat it so.
    worstVulnerability: WORST_FIRST.find((s) => present.has(s)) ?? null,
  };
}
