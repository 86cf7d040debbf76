// Dependency review: OSV matching, severity, licences, typosquats, supply-chain signals and the
// reusable allowlist. Pure functions only: callers bring the advisory snapshot and the policy.
export type { DependencyEcosystem, DependencyKind, ReviewedDependency } from "./types";
export { dependencyKey, normalisePackageName, pep503Name } from "./types";
export type { OsvAffected, OsvEvent, OsvParseResult, OsvRange, OsvRecord } from "./osv";
export { isMalwareId, osvPackageKey, osvRecordSchema, parseOsvRecord, recordIds } from "./osv";
export type { AffectedVerdict } from "./affected";
export { affectedEntriesFor, fixedVersions, isSpecAffected, isVersionAffected } from "./affected";
export type { RatedRecord, Severity, SeverityLevel } from "./severity";
export { SEVERITY_ORDER, atLeast, cvssBaseScore, higherSeverity, levelForScore, severityOf } from "./severity";
export type { AdvisoryGroup, AdvisoryIndex, FindingStatus, VulnerabilityFinding } from "./match";
export { buildAdvisoryIndex, choosePrimaryId, findVulnerabilities, findingsByDependency, osvCanCheck } from "./match";
export type { LicenceCheck, LicencePolicy, LicenceStatus } from "./licences";
export { DEFAULT_LICENCE_POLICY, canonicalLicenceId, checkLicence } from "./licences";
export { licenceFromPypiInfo } from "./pypi-licence";
export type { TyposquatReason, TyposquatSuspicion } from "./typosquat";
export { isPopularName, typosquatSuspect } from "./typosquat";
export type { SupplyChainSignal, SupplyChainSignalKind } from "./signals";
export { supplyChainSignals } from "./signals";
export type { AllowlistContext, AllowlistCoverage, AllowlistEntry, IgnoredFinding, UncoveredReason } from "./allowlist";
export {
  allDependenciesCovered,
  coveringEntries,
  entriesIgnoring,
  ignoredFindings,
  isEntryActive,
  licenceOverride,
  unusedEntries,
} from "./allowlist";
export { specWithin } from "./spec-containment";
