// The reusable allowlist: decisions the security team made once ("numpy 1.x is approved org-wide",
// "GHSA-... does not apply to how we use torch") applied to later reviews. Every rule errs towards
// "not covered": a wrong "covered" would auto-pass a model nobody looked at.
import type { VulnerabilityFinding } from "./match";
import { specWithin } from "./spec-containment";
import { dependencyKey, normalisePackageName, type DependencyEcosystem, type ReviewedDependency } from "./types";
import { schemeForEcosystem } from "./versions";

interface AllowlistEntryBase {
  id: string;
  ecosystem: DependencyEcosystem;
  normalizedName: string;
  /** In the ecosystem's own syntax: a PEP 440 specifier for PyPI (">=2.0,<3"), a semver range for npm; "*" = any. */
  versionRange: string;
  scope: "org" | { teamId: string };
  reason: string;
  expiresAt: Date | null;
  revokedAt?: Date | null;
}

export type AllowlistEntry = AllowlistEntryBase &
  (
    | { action: "approve" }
    | { action: "ignore_vulnerability"; vulnerabilityIds: string[] }
    | { action: "licence_override" }
  );

export interface AllowlistContext {
  /** The team whose review this is; team-scoped entries of other teams never apply. */
  teamId: string | null;
  now: Date;
}

/** Active = not revoked and not expired at `now`. An entry without a reason was never a valid decision. */
export function isEntryActive(entry: AllowlistEntry, now: Date): boolean {
  if (entry.reason.trim() === "") return false;
  if (entry.revokedAt && entry.revokedAt.getTime() <= now.getTime()) return false;
  return entry.expiresAt === null || entry.expiresAt.getTime() > now.getTime();
}

function versionCovered(dep: ReviewedDependency, range: string): boolean {
  const wanted = range.trim();
  if (wanted === "*" || wanted === "") return true;
  const scheme = schemeForEcosystem(dep.ecosystem);
  if (!scheme || !scheme.isValidSpec(wanted)) return false;
  // Pre-releases count as inside a range here (2.5.0rc1 is within ">=2.0,<3"): the entry describes a
  // span of versions, not what an installer would pick by default.
  if (dep.pinnedVersion) return scheme.satisfies(dep.pinnedVersion, wanted, { includePrerelease: true });
  // Unpinned: covered only if every version the spec admits lies inside the entry's range. URL, VCS
  // and editable dependencies without a version could be anything, so only "*" covers them.
  if (dep.kind === "range" || dep.kind === "pinned") return specWithin(dep.ecosystem, dep.spec ?? "", wanted);
  return false;
}

/** The active entries that apply to this dependency in this team's review (every field must match). */
export function coveringEntries(
  dep: ReviewedDependency,
  entries: readonly AllowlistEntry[],
  ctx: AllowlistContext,
): AllowlistEntry[] {
  const name = normalisePackageName(dep.ecosystem, dep.normalizedName);
  return entries.filter(
    (entry) =>
      isEntryActive(entry, ctx.now) &&
      entry.ecosystem === dep.ecosystem &&
      normalisePackageName(entry.ecosystem, entry.normalizedName) === name &&
      (entry.scope === "org" || (ctx.teamId !== null && entry.scope.teamId === ctx.teamId)) &&
      versionCovered(dep, entry.versionRange),
  );
}

/**
 * The ignore entries (among those given) that dismiss this finding. A finding's ids hold every id and
 * alias of its vulnerability, so ignoring CVE-x also dismisses the GHSA record that aliases it.
 * Pass only entries that cover the finding's dependency (see `coveringEntries`).
 */
export function entriesIgnoring(finding: VulnerabilityFinding, covering: readonly AllowlistEntry[]): AllowlistEntry[] {
  const ids = new Set(finding.ids.map((id) => id.toUpperCase()));
  return covering.filter(
    (entry) =>
      entry.action === "ignore_vulnerability" && entry.vulnerabilityIds.some((id) => ids.has(id.trim().toUpperCase())),
  );
}

export interface IgnoredFinding {
  finding: VulnerabilityFinding;
  entryIds: string[];
}

/** Splits findings into those an active, matching ignore entry dismisses and those still open. */
export function ignoredFindings(
  findings: readonly VulnerabilityFinding[],
  entries: readonly AllowlistEntry[],
  ctx: AllowlistContext,
): { ignored: IgnoredFinding[]; open: VulnerabilityFinding[] } {
  const ignored: IgnoredFinding[] = [];
  const open: VulnerabilityFinding[] = [];
  for (const finding of findings) {
    const by = entriesIgnoring(finding, coveringEntries(finding.dependency, entries, ctx));
    if (by.length > 0) ignored.push({ finding, entryIds: by.map((e) => e.id).sort() });
    else open.push(finding);
  }
  return { ignored, open };
}

/** An active licence override for this dependency, if the security team recorded one. */
export function licenceOverride(
  dep: ReviewedDependency,
  entries: readonly AllowlistEntry[],
  ctx: AllowlistContext,
): AllowlistEntry | null {
  return coveringEntries(dep, entries, ctx).find((e) => e.action === "licence_override") ?? null;
}

export type UncoveredReason = "not_approved" | "open_findings";

export interface AllowlistCoverage {
  covered: boolean;
  uncovered: { dep: ReviewedDependency; why: string; reasons: UncoveredReason[] }[];
  usedEntryIds: string[];
}

/**
 * The "all_dependencies_allowlisted" auto-pass rule: every dependency is covered by an active approve
 * entry AND has no open (un-ignored) finding, undetermined ones included. An empty dependency list
 * is not "all covered": nothing was approved, and an empty list more likely means nothing was parsed.
 */
export function allDependenciesCovered(
  deps: readonly ReviewedDependency[],
  findingsByDep: ReadonlyMap<string, readonly VulnerabilityFinding[]>,
  entries: readonly AllowlistEntry[],
  ctx: AllowlistContext,
): AllowlistCoverage {
  const uncovered: AllowlistCoverage["uncovered"] = [];
  const used = new Set<string>();
  for (const dep of deps) {
    const covering = coveringEntries(dep, entries, ctx);
    const approvals = covering.filter((e) => e.action === "approve");
    for (const e of approvals) used.add(e.id);
    const open: string[] = [];
    for (const finding of findingsByDep.get(dependencyKey(dep)) ?? []) {
      const by = entriesIgnoring(finding, covering);
      for (const e of by) used.add(e.id);
      if (by.length === 0) open.push(finding.primaryId);
    }
    const reasons: UncoveredReason[] = [];
    const words: string[] = [];
    if (approvals.length === 0) {
      reasons.push("not_approved");
      words.push("no active approval covers this version");
    }
    if (open.length > 0) {
      reasons.push("open_findings");
      words.push(`open vulnerabilities: ${[...new Set(open)].join(", ")}`);
    }
    if (reasons.length > 0) uncovered.push({ dep, why: words.join("; "), reasons });
  }
  return { covered: deps.length > 0 && uncovered.length === 0, uncovered, usedEntryIds: [...used].sort() };
}

/** Entries no review used: candidates for clean-up, so the allowlist does not silently grow stale. */
export function unusedEntries(entries: readonly AllowlistEntry[], usedIds: Iterable<string>): AllowlistEntry[] {
  const used = new Set(usedIds);
  return entries.filter((entry) => !used.has(entry.id));
}
