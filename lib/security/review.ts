import type { StoredFinding, StoredSignal } from "@/db/schema/security";
import type { Dependency } from "../dependencies/manifests/types";
import {
  buildAdvisoryIndex,
  checkLicence,
  dependencyKey,
  findVulnerabilities,
  findingsByDependency,
  supplyChainSignals,
  typosquatSuspect,
  type LicencePolicy,
  type OsvRecord,
  type VulnerabilityFinding,
} from "../dependencies/review";

export type DependencyReview = { findings: StoredFinding[]; licenceStatus: string; signals: StoredSignal[] };

/**
 * Reviews parsed dependencies against an advisory snapshot (the OSV records of these packages), the
 * licence policy and the supply-chain checks. Pure: the caller loads the records and stores the result.
 */
export function reviewDependencies(
  deps: readonly Dependency[],
  records: readonly OsvRecord[],
  policy: LicencePolicy,
  format: string,
): DependencyReview[] {
  // Only lockfiles and SBOMs of these formats carry licences; for the rest "no licence" is not a finding.
  const carriesLicences = format === "package-lock" || format === "cyclonedx";
  const byDep = findingsByDependency(findVulnerabilities(deps, buildAdvisoryIndex(records)));
  return deps.map((dep) => {
    const findings = byDep.get(dependencyKey(dep)) ?? [];
    const licence = carriesLicences
      ? checkLicence(dep.licence, policy)
      : dep.licence
        ? checkLicence(dep.licence, policy)
        : { status: "not_declared" };
    return {
      findings: findings.map(storedFinding),
      licenceStatus: licence.status,
      signals: supplyChainSignals(dep, findings, typosquatSuspect(dep.ecosystem, dep.normalizedName)).map((s) => ({
        kind: s.kind,
        detail: s.detail,
      })),
    };
  });
}

/** What the manifest declared about a dependency, as stored on a request and printed by `deps scan`. */
export function declared(d: Dependency) {
  return {
    ecosystem: d.ecosystem,
    name: d.name,
    normalizedName: d.normalizedName,
    spec: d.spec,
    pinnedVersion: d.pinnedVersion,
    kind: d.kind,
    extras: d.extras,
    marker: d.marker,
    markerResult: d.markerResult,
    line: d.line,
  };
}

export function storedFinding(f: VulnerabilityFinding): StoredFinding {
  return {
    primaryId: f.primaryId,
    ids: f.ids,
    summary: f.summary,
    severity: f.severity.level,
    score: f.severity.score,
    status: f.status,
    fixedVersions: f.fixedVersions,
    malware: f.malware,
  };
}

/** Back from storage into the matcher's shape, for the allowlist coverage check. */
export function findingFromStore(dep: VulnerabilityFinding["dependency"], f: StoredFinding): VulnerabilityFinding {
  return {
    dependency: dep,
    primaryId: f.primaryId,
    ids: f.ids,
    recordIds: f.ids,
    summary: f.summary,
    severity: { level: f.severity as VulnerabilityFinding["severity"]["level"], score: f.score, vector: null },
    status: f.status as VulnerabilityFinding["status"],
    fixedVersions: f.fixedVersions,
    malware: f.malware,
  };
}
