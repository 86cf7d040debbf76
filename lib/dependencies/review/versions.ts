// The two version orderings the review needs, behind one small interface so the OSV evaluation and
// the allowlist can stay ecosystem-agnostic. Every function here is total: invalid input gives
// false/null/[] rather than an exception, because the libraries underneath throw on bad strings.
import * as pep440 from "@renovatebot/pep440";
import semver from "semver";

export interface VersionScheme {
  readonly name: "pep440" | "semver";
  /** The lowest version there is, used as a floor candidate and for OSV's introduced "0". */
  readonly floor: string;
  isValid(version: string): boolean;
  /** Orders two valid versions. */
  compare(a: string, b: string): number;
  /** Orders a dependency's version against an OSV event version (the PEP 440 local-version rule applies). */
  compareToEvent(version: string, event: string): number;
  /** Whether a dependency's version is the one an OSV `versions` entry names. */
  sameAs(version: string, listed: string): boolean;
  isValidSpec(spec: string): boolean;
  /** Whether the version satisfies the spec, with the installer's default pre-release rule. */
  satisfies(version: string, spec: string, options?: { includePrerelease?: boolean }): boolean;
  /** Versions a spec names, plus the first release above each exclusive lower bound. */
  specPoints(spec: string): string[];
  /** For a pre-release, the final release it leads to (2.8.0rc1 -> 2.8.0); otherwise null. */
  releaseOf(version: string): string | null;
}

// pep440's compare() re-parses both strings with a large regex on every call, and the matcher
// compares the same few thousand strings again and again (1,000 dependencies x their advisories'
// events and version lists). So each string is parsed once into PEP 440's sort key and ordered here.
// Bounded so a long-lived server process does not grow without limit.
type LocalPart = [number, string];
interface Pep440Parsed {
  explained: pep440.Pep440Version;
  key: [number, number[], number | (string | number)[], number, number, number | LocalPart[]];
}
const parsedPep440 = new Map<string, Pep440Parsed | null>();

// The ordering key of PEP 440 (as packaging's _cmpkey): trailing zeros of the release do not count;
// a dev-only release sorts before its pre-releases; no pre-release sorts after any; no post-release
// before any; no dev release after any; local labels sort after none, numeric parts after alphabetic.
function sortKey(v: pep440.Pep440Version): Pep440Parsed["key"] {
  const release = [...v.release];
  while (release.length > 0 && release[release.length - 1] === 0) release.pop();
  // explain() gives post and dev as plain numbers or null (its .d.ts says arrays), and 0 is a real
  // value there (1.0.dev0), so only null means "absent".
  const post = v.post as unknown as number | null;
  const dev = v.dev as unknown as number | null;
  const pre = v.pre === null && post === null && dev !== null ? -Infinity : (v.pre ?? Infinity);
  const local: number | LocalPart[] = v.local
    ? v.local.split(/[-_.]/).map((part): LocalPart => (/^[0-9]+$/.test(part) ? [Number(part), ""] : [-Infinity, part]))
    : -Infinity;
  return [v.epoch, release, pre, post ?? -Infinity, dev ?? Infinity, local];
}

type KeyPart = number | string | KeyPart[];
// Python's tuple ordering, with -Infinity/Infinity standing in for "before/after everything".
function compareKeyParts(a: KeyPart, b: KeyPart): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
      const c = compareKeyParts(a[i]!, b[i]!);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    // A sentinel against a tuple: the sentinel decides.
    const sentinel = Array.isArray(a) ? b : a;
    const sign = sentinel === -Infinity ? -1 : 1;
    return Array.isArray(a) ? -sign : sign;
  }
  return a === b ? 0 : a < b ? -1 : 1;
}

function parsePep440(version: string): Pep440Parsed | null {
  const hit = parsedPep440.get(version);
  if (hit !== undefined) return hit;
  if (parsedPep440.size > 50_000) parsedPep440.clear();
  let parsed: Pep440Parsed | null = null;
  try {
    const explained = pep440.explain(version);
    parsed = explained ? { explained, key: sortKey(explained) } : null;
  } catch {
    parsed = null;
  }
  parsedPep440.set(version, parsed);
  return parsed;
}
const explainPep440 = (version: string) => parsePep440(version)?.explained ?? null;

/** PEP 440 ordering of two valid versions (what pep440.compare answers, without re-parsing). */
export function comparePep440(a: string, b: string): number {
  return Math.sign(compareKeyParts(parsePep440(a)!.key, parsePep440(b)!.key));
}

const PEP440_CLAUSE = /^\s*(===|~=|==|!=|<=|>=|<|>)\s*(\S+)\s*$/;

export const pep440Scheme: VersionScheme = {
  name: "pep440",
  floor: "0",
  isValid: (version) => explainPep440(version) !== null,
  compare: comparePep440,
  compareToEvent(version, event) {
    // PEP 440: a local label (+cu118) is ignored when the other side has none, so torch 2.1.0+cu118
    // sits exactly where 2.1.0 does in an advisory's range.
    const v = explainPep440(version);
    const e = explainPep440(event);
    if (v?.local && e && !e.local) return comparePep440(v.public, event);
    return comparePep440(version, event);
  },
  sameAs(version, listed) {
    const l = explainPep440(listed);
    if (!l) return version === listed;
    return pep440Scheme.compareToEvent(version, listed) === 0;
  },
  isValidSpec(spec) {
    try {
      return pep440.validRange(spec);
    } catch {
      return false;
    }
  },
  satisfies(version, spec, options) {
    if (!explainPep440(version)) return false;
    try {
      return pep440.satisfies(version, spec, options?.includePrerelease ? { prereleases: true } : {});
    } catch {
      return false;
    }
  },
  specPoints(spec) {
    const points: string[] = [];
    for (const clause of spec.split(",")) {
      const m = PEP440_CLAUSE.exec(clause);
      if (!m) continue;
      const [, op, raw] = m;
      const version = raw!.replace(/\.\*$/, "");
      if (!explainPep440(version)) continue;
      points.push(version);
      // `>V` excludes V itself (and its post-releases): the next patch release is the first
      // ordinary version the spec admits.
      if (op === ">") {
        const next = pep440.inc(version, "patch");
        if (next) points.push(next);
      }
    }
    return points;
  },
  releaseOf(version) {
    const v = explainPep440(version);
    return v && (v.is_prerelease || v.is_devrelease) ? v.base_version : null;
  },
};

// Same reason as for PEP 440: parse each string once. SemVer objects are never mutated here.
const parsedSemver = new Map<string, semver.SemVer | null>();
function parseSemver(version: string): semver.SemVer | null {
  const hit = parsedSemver.get(version);
  if (hit !== undefined) return hit;
  if (parsedSemver.size > 50_000) parsedSemver.clear();
  let parsed: semver.SemVer | null = null;
  try {
    parsed = semver.parse(version.trim());
  } catch {
    parsed = null;
  }
  parsedSemver.set(version, parsed);
  return parsed;
}

export const semverScheme: VersionScheme = {
  name: "semver",
  floor: "0.0.0",
  isValid: (version) => parseSemver(version) !== null,
  // semver's compare already ignores build metadata (1.0.0+abc == 1.0.0), as OSV asks.
  compare: (a, b) => semver.compare(parseSemver(a)!, parseSemver(b)!),
  compareToEvent: (version, event) => semver.compare(parseSemver(version)!, parseSemver(event)!),
  sameAs(version, listed) {
    const a = parseSemver(version);
    const b = parseSemver(listed);
    return a && b ? semver.compare(a, b) === 0 : version === listed;
  },
  isValidSpec: (spec) => semver.validRange(spec) !== null,
  satisfies(version, spec, options) {
    const v = parseSemver(version);
    if (!v) return false;
    try {
      return semver.satisfies(v, spec, { includePrerelease: options?.includePrerelease ?? false });
    } catch {
      return false;
    }
  },
  specPoints(spec) {
    let range: semver.Range;
    try {
      range = new semver.Range(spec);
    } catch {
      return [];
    }
    const points: string[] = [];
    for (const comparators of range.set) {
      for (const c of comparators) {
        if (c.value === "") continue; // the "any version" comparator names no version
        points.push(c.semver.version);
        if (c.operator === ">") points.push(semver.inc(c.semver.version, "patch") ?? c.semver.version);
      }
    }
    const lowest = semver.minVersion(range);
    if (lowest) points.push(lowest.version);
    return points;
  },
  releaseOf(version) {
    const v = parseSemver(version);
    return v && v.prerelease.length > 0 ? `${v.major}.${v.minor}.${v.patch}` : null;
  },
};

/** The ordering OSV uses for a range of this type in this ecosystem, or null when we have none. */
export function schemeForRange(rangeType: string, ecosystem: string): VersionScheme | null {
  if (rangeType === "SEMVER") return semverScheme;
  if (rangeType !== "ECOSYSTEM") return null;
  if (ecosystem === "PyPI") return pep440Scheme;
  // npm versions are semver, so its ECOSYSTEM ranges order the same way.
  if (ecosystem === "npm") return semverScheme;
  return null;
}

/** The ordering a dependency's own specs use. */
export function schemeForEcosystem(ecosystem: string): VersionScheme | null {
  if (ecosystem === "PyPI") return pep440Scheme;
  if (ecosystem === "npm") return semverScheme;
  return null;
}
