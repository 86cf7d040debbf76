// Matching a dependency list against an offline OSV snapshot. The index is built once per snapshot
// (a Map from package to its advisories, already grouped by alias) so matching is a hash lookup per
// dependency plus a handful of version comparisons: 1,000 dependencies x 50,000 advisories runs in
// tens of milliseconds (see bench/dependency-check.ts).
import { fixedVersions, isSpecAffected, isVersionAffected, type AffectedVerdict } from "./affected";
import { isMalwareId, osvPackageKey, recordIds, type OsvRecord } from "./osv";
import { SEVERITY_ORDER, severityOf, type Severity } from "./severity";
import { dependencyKey, type ReviewedDependency } from "./types";
import { schemeForEcosystem } from "./versions";

/** One vulnerability: every OSV record of a package that names the same issue (shared ids/aliases). */
export interface AdvisoryGroup {
  records: OsvRecord[];
  /** Every id and alias of every record in the group, sorted. */
  ids: string[];
  primaryId: string;
  malware: boolean;
}

export interface AdvisoryIndex {
  /** The package's advisories grouped by alias, keyed by `osvPackageKey`; undefined when it has none. */
  groupsFor(packageKey: string): readonly AdvisoryGroup[] | undefined;
  readonly packageCount: number;
  readonly recordCount: number;
  /** Records left out because OSV marked them withdrawn: reported so a review can say so. */
  readonly withdrawnSkipped: number;
}

/**
 * "affected": the pinned version is affected. "range_affected": the dependency is unpinned and some
 * affected version satisfies its spec. "undetermined": the package has this advisory but we cannot
 * tell (unreadable version or record, a URL/VCS/editable dependency with no version, ...).
 */
export type FindingStatus = "affected" | "range_affected" | "undetermined";

export interface VulnerabilityFinding {
  dependency: ReviewedDependency;
  primaryId: string;
  ids: string[];
  recordIds: string[];
  summary: string | null;
  severity: Severity;
  status: FindingStatus;
  fixedVersions: string[];
  malware: boolean;
}

// Which record id names a group. GHSA first: it covers PyPI and npm alike and is the id GitHub and
// Dependabot users already see; then PYSEC (PyPI's own database), then MAL (malicious packages),
// then anything else. Only ids of records we hold qualify, so the primary id always has a summary
// and ranges behind it. Ties break by plain string order, so the choice never depends on input order.
const PRIMARY_PREFERENCE = ["GHSA-", "PYSEC-", "MAL-"];
const preferenceOf = (id: string) => {
  const i = PRIMARY_PREFERENCE.findIndex((prefix) => id.toUpperCase().startsWith(prefix));
  return i === -1 ? PRIMARY_PREFERENCE.length : i;
};
export function choosePrimaryId(recordIdList: readonly string[]): string {
  return [...recordIdList].sort((a, b) => preferenceOf(a) - preferenceOf(b) || (a < b ? -1 : a > b ? 1 : 0))[0] ?? "";
}

function groupByAlias(records: OsvRecord[]): AdvisoryGroup[] {
  // Union-find over records: two records join when any id or alias is shared, directly or through a third.
  const parent = records.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const owner = new Map<string, number>();
  records.forEach((record, i) => {
    for (const id of recordIds(record)) {
      const key = id.toUpperCase();
      const j = owner.get(key);
      if (j === undefined) owner.set(key, i);
      else parent[find(i)] = find(j);
    }
  });
  const members = new Map<number, OsvRecord[]>();
  records.forEach((record, i) => {
    const root = find(i);
    const list = members.get(root) ?? [];
    list.push(record);
    members.set(root, list);
  });
  return [...members.values()].map((group) => {
    const ids = [...new Set(group.flatMap(recordIds))].sort();
    return { records: group, ids, primaryId: choosePrimaryId(group.map((r) => r.id)), malware: ids.some(isMalwareId) };
  });
}

export function buildAdvisoryIndex(records: readonly OsvRecord[]): AdvisoryIndex {
  // A snapshot can hold one id twice (e.g. two dumps merged): keep the most recently modified.
  const latest = new Map<string, OsvRecord>();
  for (const record of records) {
    const seen = latest.get(record.id);
    if (!seen || seen.modified < record.modified) latest.set(record.id, record);
  }
  const byPackage = new Map<string, OsvRecord[]>();
  let withdrawnSkipped = 0;
  let recordCount = 0;
  for (const record of latest.values()) {
    if (record.withdrawn) {
      withdrawnSkipped += 1;
      continue;
    }
    recordCount += 1;
    for (const affected of record.affected) {
      const key = osvPackageKey(affected.package.ecosystem, affected.package.name);
      const list = byPackage.get(key);
      // A record may list one package twice (e.g. two version series); file it once.
      if (!list) byPackage.set(key, [record]);
      else if (list[list.length - 1] !== record) list.push(record);
    }
  }
  // Grouping by alias is done the first time a package is looked up: a review touches a thousand of
  // the snapshot's tens of thousands of packages, so grouping them all up front is mostly wasted.
  const grouped = new Map<string, AdvisoryGroup[]>();
  return {
    groupsFor(packageKey) {
      let groups = grouped.get(packageKey);
      if (!groups) {
        const list = byPackage.get(packageKey);
        if (!list) return undefined;
        groups = groupByAlias(list);
        grouped.set(packageKey, groups);
      }
      return groups;
    },
    packageCount: byPackage.size,
    recordCount,
    withdrawnSkipped,
  };
}

/** OSV has no conda ecosystem: conda packages are never matched, and the review should say so. */
export function osvCanCheck(dep: ReviewedDependency): boolean {
  return dep.ecosystem === "PyPI" || dep.ecosystem === "npm";
}

function verdictFor(dep: ReviewedDependency, record: OsvRecord): FindingStatus | null {
  const name = dep.normalizedName;
  let verdict: AffectedVerdict;
  if (dep.pinnedVersion) {
    verdict = isVersionAffected(record, dep.ecosystem, dep.pinnedVersion, name);
    return verdict === "not_affected" ? null : verdict;
  }
  if (dep.kind === "range" || dep.kind === "pinned") {
    verdict = isSpecAffected(record, dep.ecosystem, dep.spec, name);
    return verdict === "affected" ? "range_affected" : verdict === "undetermined" ? "undetermined" : null;
  }
  // A URL, VCS or editable dependency without a version could be any release of the package.
  return "undetermined";
}

// When the records of one group disagree, the most serious answer stands: the review errs towards
// showing a human, never towards calling something clean.
const STATUS_WEIGHT: Record<FindingStatus, number> = { undetermined: 1, range_affected: 2, affected: 3 };

function findingFor(dep: ReviewedDependency, group: AdvisoryGroup): VulnerabilityFinding | null {
  let status: FindingStatus | null = null;
  for (const record of group.records) {
    const verdict = verdictFor(dep, record);
    if (verdict && (!status || STATUS_WEIGHT[verdict] > STATUS_WEIGHT[status])) status = verdict;
    if (status === "affected") break;
  }
  if (!status) return null;

  let severity: Severity = { level: "none", score: null, vector: null };
  for (const record of group.records) {
    const s = severityOf(record);
    const higher = SEVERITY_ORDER.indexOf(s.level) - SEVERITY_ORDER.indexOf(severity.level);
    if (higher > 0 || (higher === 0 && (s.score ?? -1) > (severity.score ?? -1))) severity = s;
  }
  const primary = group.records.find((r) => r.id === group.primaryId);
  const summary = primary?.summary ?? group.records.find((r) => r.summary)?.summary ?? null;
  const fixes = new Set(group.records.flatMap((r) => fixedVersions(r, dep.ecosystem, dep.normalizedName)));
  const scheme = schemeForEcosystem(dep.ecosystem);
  const fixed = [...fixes];
  if (scheme && fixed.every((v) => scheme.isValid(v))) fixed.sort((a, b) => scheme.compare(a, b));
  else fixed.sort();

  return {
    dependency: dep,
    primaryId: group.primaryId,
    ids: group.ids,
    recordIds: group.records.map((r) => r.id).sort(),
    summary,
    severity,
    status,
    fixedVersions: fixed,
    malware: group.malware,
  };
}

/** One finding per (dependency, vulnerability), in dependency order, most severe first within one. */
export function findVulnerabilities(deps: readonly ReviewedDependency[], index: AdvisoryIndex): VulnerabilityFinding[] {
  const findings: VulnerabilityFinding[] = [];
  for (const dep of deps) {
    if (!osvCanCheck(dep)) continue;
    const groups = index.groupsFor(osvPackageKey(dep.ecosystem, dep.normalizedName));
    if (!groups) continue;
    const mine: VulnerabilityFinding[] = [];
    for (const group of groups) {
      const finding = findingFor(dep, group);
      if (finding) mine.push(finding);
    }
    mine.sort(
      (a, b) =>
        SEVERITY_ORDER.indexOf(b.severity.level) - SEVERITY_ORDER.indexOf(a.severity.level) ||
        (a.primaryId < b.primaryId ? -1 : a.primaryId > b.primaryId ? 1 : 0),
    );
    findings.push(...mine);
  }
  return findings;
}

/** Findings filed by `dependencyKey`, the shape the allowlist check takes. */
export function findingsByDependency(findings: readonly VulnerabilityFinding[]): Map<string, VulnerabilityFinding[]> {
  const map = new Map<string, VulnerabilityFinding[]>();
  for (const finding of findings) {
    const key = dependencyKey(finding.dependency);
    const list = map.get(key);
    if (list) list.push(finding);
    else map.set(key, [finding]);
  }
  return map;
}
