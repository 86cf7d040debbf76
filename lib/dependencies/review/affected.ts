// "Is this version affected?" exactly as the OSV schema's Evaluation section defines it, with one
// extra answer, "undetermined", for every case where the record cannot tell us: a security review
// must never turn "we could not evaluate this" into "clean".
import { osvPackageKey, type OsvAffected, type OsvEvent, type OsvRange, type OsvRecord } from "./osv";
import { schemeForEcosystem, schemeForRange, type VersionScheme } from "./versions";

export type AffectedVerdict = "affected" | "not_affected" | "undetermined";

// Each evaluation filters the record's entries by package; normalising an entry's name once, not on
// every evaluation, keeps matching a large dependency list cheap.
const entryKeys = new WeakMap<OsvAffected, string>();
function entryKey(entry: OsvAffected): string {
  let key = entryKeys.get(entry);
  if (key === undefined) {
    key = osvPackageKey(entry.package.ecosystem, entry.package.name);
    entryKeys.set(entry, key);
  }
  return key;
}

/** The record's `affected` entries for this ecosystem (and package, when a name is given). */
export function affectedEntriesFor(record: OsvRecord, ecosystem: string, packageName?: string): OsvAffected[] {
  const base = ecosystem.split(":")[0];
  const key = packageName === undefined ? null : osvPackageKey(ecosystem, packageName);
  return record.affected.filter((entry) =>
    key === null ? entry.package.ecosystem.split(":")[0] === base : entryKey(entry) === key,
  );
}

type EventKind = "introduced" | "fixed" | "last_affected" | "limit";
interface RangePoint {
  kind: EventKind;
  version: string;
}

function pointOf(event: OsvEvent): RangePoint {
  if (event.introduced !== undefined) return { kind: "introduced", version: event.introduced };
  if (event.fixed !== undefined) return { kind: "fixed", version: event.fixed };
  if (event.last_affected !== undefined) return { kind: "last_affected", version: event.last_affected };
  return { kind: "limit", version: event.limit ?? "*" };
}

// "0" (introduced) and "*" (limit) are the schema's sentinels for "below everything" and "no limit".
const isSentinel = (p: RangePoint) =>
  (p.kind === "introduced" && p.version === "0") || (p.kind === "limit" && p.version === "*");

function evaluateRange(range: OsvRange, scheme: VersionScheme, version: string): AffectedVerdict {
  if (!scheme.isValid(version)) return "undetermined";
  const points = range.events.map(pointOf);
  // The schema forbids mixing the two in one range; a record that does is ambiguous, so we do not guess.
  if (points.some((p) => p.kind === "fixed") && points.some((p) => p.kind === "last_affected")) return "undetermined";
  if (points.some((p) => !isSentinel(p) && !scheme.isValid(p.version))) return "undetermined";

  const limits = points.filter((p) => p.kind === "limit");
  if (limits.length > 0 && !limits.some((l) => l.version === "*" || scheme.compareToEvent(version, l.version) < 0)) {
    return "not_affected";
  }

  const ordered = points
    .filter((p) => p.kind !== "limit")
    .sort((a, b) => {
      const aZero = a.kind === "introduced" && a.version === "0";
      const bZero = b.kind === "introduced" && b.version === "0";
      if (aZero || bZero) return aZero === bZero ? 0 : aZero ? -1 : 1;
      const byVersion = scheme.compare(a.version, b.version);
      // At one version, an introduced event comes first so a fix at the same version wins.
      if (byVersion !== 0) return byVersion;
      return (a.kind === "introduced" ? 0 : 1) - (b.kind === "introduced" ? 0 : 1);
    });

  let vulnerable = false;
  for (const p of ordered) {
    if (p.kind === "introduced") {
      if (p.version === "0" || scheme.compareToEvent(version, p.version) >= 0) vulnerable = true;
    } else if (p.kind === "fixed") {
      if (scheme.compareToEvent(version, p.version) >= 0) vulnerable = false;
    } else if (scheme.compareToEvent(version, p.version) > 0) {
      vulnerable = false; // last_affected: versions after it are clean
    }
  }
  return vulnerable ? "affected" : "not_affected";
}

function listedVersionMatches(entry: OsvAffected, scheme: VersionScheme | null, version: string): boolean {
  const listed = entry.versions ?? [];
  if (listed.includes(version)) return true;
  if (!scheme || !scheme.isValid(version)) return false;
  return listed.some((l) => scheme.isValid(l) && scheme.sameAs(version, l));
}

function evaluateEntry(entry: OsvAffected, ecosystem: string, version: string): AffectedVerdict {
  const listScheme = schemeForEcosystem(ecosystem);
  if (listedVersionMatches(entry, listScheme, version)) return "affected";

  let undetermined = false;
  let evaluatedARange = false;
  for (const range of entry.ranges ?? []) {
    if (range.type === "GIT") continue; // commit ranges need the repository; `versions` carries their result
    const scheme = schemeForRange(range.type, ecosystem);
    if (!scheme) continue; // another ecosystem's ordering: only the versions list speaks for it
    evaluatedARange = true;
    const verdict = evaluateRange(range, scheme, version);
    if (verdict === "affected") return "affected";
    if (verdict === "undetermined") undetermined = true;
  }
  if (undetermined) return "undetermined";
  if (evaluatedARange) return "not_affected";
  // Nothing but the versions list to go on. A non-empty list that lacks the version is an answer
  // (unless we could not even read the version); an empty one is not.
  const listed = entry.versions ?? [];
  if (listed.length === 0) return "undetermined";
  if (listScheme && !listScheme.isValid(version)) return "undetermined";
  return "not_affected";
}

/**
 * Whether one concrete version is affected by the record. `packageName` narrows the check to that
 * package's entries (a record can cover several packages); without it every entry of the ecosystem counts.
 */
export function isVersionAffected(
  record: OsvRecord,
  ecosystem: string,
  version: string,
  packageName?: string,
): AffectedVerdict {
  let undetermined = false;
  for (const entry of affectedEntriesFor(record, ecosystem, packageName)) {
    const verdict = evaluateEntry(entry, ecosystem, version.trim());
    if (verdict === "affected") return "affected";
    if (verdict === "undetermined") undetermined = true;
  }
  return undetermined ? "undetermined" : "not_affected";
}

/**
 * Whether an unpinned spec (">=2.0", "^1.2") admits some affected version.
 *
 * We cannot list every version a registry has (the review never talks to one), so we test a set of
 * candidate versions that is sure to contain a witness whenever an affected interval and the spec's
 * interval overlap: the record's listed versions, every event version (and the final release of a
 * pre-release one, since installers skip pre-releases), the versions the spec itself names (its
 * bounds, and the next release above an exclusive lower bound), and the lowest version there is.
 * The lower end of any overlap is one of those points. A candidate counts when it satisfies the spec
 * AND is affected.
 * Limits: a spec of `!=` exclusions that removes exactly the sampled points can hide an overlap
 * (false "not_affected"), and a synthesised point (e.g. the patch after `>2.8.0`) may be a version
 * that was never released (false "affected"). Both are rare; the second errs on the safe side.
 */
export function isSpecAffected(
  record: OsvRecord,
  ecosystem: string,
  spec: string | null,
  packageName?: string,
): AffectedVerdict {
  const scheme = schemeForEcosystem(ecosystem);
  if (!scheme) return "undetermined";
  const text = (spec ?? "").trim();
  // No spec (or npm's "*") means "any version": a PEP 440 specifier spells that as the empty string.
  const specText = text === "*" && scheme.name === "pep440" ? "" : text === "" && scheme.name === "semver" ? "*" : text;
  if (!scheme.isValidSpec(specText)) return "undetermined";

  const entries = affectedEntriesFor(record, ecosystem, packageName);
  if (entries.length === 0) return "not_affected";
  // A listed version is affected by definition, so only the spec needs checking for those.
  for (const entry of entries) {
    if ((entry.versions ?? []).some((v) => scheme.isValid(v) && scheme.satisfies(v, specText))) return "affected";
  }

  const candidates = new Set<string>([scheme.floor, ...scheme.specPoints(specText)]);
  for (const entry of entries) {
    for (const range of entry.ranges ?? []) {
      for (const p of range.events.map(pointOf)) if (p.kind !== "limit" && !isSentinel(p)) candidates.add(p.version);
    }
  }
  for (const c of [...candidates]) {
    const release = scheme.isValid(c) ? scheme.releaseOf(c) : null;
    if (release) candidates.add(release);
  }

  let undetermined = false;
  for (const candidate of candidates) {
    if (!scheme.isValid(candidate) || !scheme.satisfies(candidate, specText)) continue;
    const verdict = isVersionAffected(record, ecosystem, candidate, packageName);
    if (verdict === "affected") return "affected";
    if (verdict === "undetermined") undetermined = true;
  }
  return undetermined ? "undetermined" : "not_affected";
}

/** The versions the record says fix the package, lowest first. */
export function fixedVersions(record: OsvRecord, ecosystem: string, name: string): string[] {
  const found = new Set<string>();
  let scheme: VersionScheme | null = null;
  for (const entry of affectedEntriesFor(record, ecosystem, name)) {
    for (const range of entry.ranges ?? []) {
      if (range.type === "GIT") continue; // commit hashes mean nothing to someone pinning a version
      scheme ??= schemeForRange(range.type, ecosystem);
      for (const p of range.events.map(pointOf)) if (p.kind === "fixed") found.add(p.version);
    }
  }
  const list = [...found];
  const order = scheme;
  if (order && list.every((v) => order.isValid(v))) return list.sort((a, b) => order.compare(a, b));
  return list.sort();
}
