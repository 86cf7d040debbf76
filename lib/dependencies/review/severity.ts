// How bad an advisory is, in the five CVSS bands plus "unknown". Prefers a computed CVSS base score
// over a database's own label, because the score is comparable across databases and the labels are not.
import { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } from "ae-cvss-calculator";
import { isMalwareId, type OsvRecord } from "./osv";

export type SeverityLevel = "none" | "unknown" | "low" | "medium" | "high" | "critical";

/**
 * Lowest to highest. "unknown" (an advisory with no usable rating) ranks above "none" (rated and
 * harmless) but below "low": it is worth a look, yet we cannot claim it reaches any threshold.
 */
export const SEVERITY_ORDER: readonly SeverityLevel[] = ["none", "unknown", "low", "medium", "high", "critical"];

const rank = (level: SeverityLevel) => SEVERITY_ORDER.indexOf(level);

/** Whether `level` reaches `threshold`. "unknown" reaches only "unknown" and "none". */
export function atLeast(level: SeverityLevel, threshold: SeverityLevel): boolean {
  return rank(level) >= rank(threshold);
}

/** The higher of two levels. */
export function higherSeverity(a: SeverityLevel, b: SeverityLevel): SeverityLevel {
  return rank(a) >= rank(b) ? a : b;
}

export interface Severity {
  level: SeverityLevel;
  score: number | null;
  vector: string | null;
  /**
   * Where the rating came from: "severity" (the record's CVSS vectors), "database_specific" (a vector
   * or label its database put there), "alias <id>" (a stored record of the same vulnerability under
   * another id: PYSEC records often carry no rating, their GHSA or CVE alias does). Absent when unknown.
   */
  source?: string;
}

/**
 * An OSV record as the store hands it to a review: with the stored records of its aliases when it
 * has no rating of its own (lib/security/advisory-store.ts), so their rating can stand in.
 */
export type RatedRecord = OsvRecord & { aliasRecords?: readonly OsvRecord[] };

/** CVSS v3/v4 qualitative bands (FIRST's tables); v2 scores are banded the same way for one scale. */
export function levelForScore(score: number): SeverityLevel {
  if (score >= 9.0) return "critical";
  if (score >= 7.0) return "high";
  if (score >= 4.0) return "medium";
  if (score > 0) return "low";
  return "none";
}

interface ScoredVector {
  readonly score: number;
  readonly vector: string;
}

// Advisories reuse a few hundred distinct vectors, and parsing one is the costly part of rating.
const scoredVectors = new Map<string, ScoredVector | null>();

/** The base score of one vector, or null when the calculator cannot read a full base vector. */
export function cvssBaseScore(vector: string): ScoredVector | null {
  const text = vector.trim();
  const hit = scoredVectors.get(text);
  if (hit !== undefined) return hit;
  if (scoredVectors.size > 10_000) scoredVectors.clear();
  const scored = scoreVector(text);
  scoredVectors.set(text, scored);
  return scored;
}

function scoreVector(text: string): ScoredVector | null {
  try {
    const cvss = text.startsWith("CVSS:4.0/")
      ? new Cvss4P0(text)
      : text.startsWith("CVSS:3.1/")
        ? new Cvss3P1(text)
        : text.startsWith("CVSS:3.0/")
          ? new Cvss3P0(text)
          : /^\(?AV:[LAN]\//.test(text)
            ? new Cvss2(text.replace(/^\(|\)$/g, ""))
            : null;
    // A vector missing base metrics still "scores" (as 0): treat it as unreadable instead.
    if (!cvss || !cvss.isBaseFullyDefined()) return null;
    const base = cvss.calculateScores().base;
    return typeof base === "number" && Number.isFinite(base) ? { score: base, vector: text } : null;
  } catch {
    return null;
  }
}

// OSV severity types, most preferred first: the newest CVSS version describes the issue best.
const PREFERENCE: readonly ((entry: { type: string; score: string }) => boolean)[] = [
  (e) => e.type === "CVSS_V4",
  (e) => e.type === "CVSS_V3" && e.score.trim().startsWith("CVSS:3.1/"),
  (e) => e.type === "CVSS_V3",
  (e) => e.type === "CVSS_V2",
];

const DATABASE_LABELS: Record<string, SeverityLevel> = {
  CRITICAL: "critical",
  HIGH: "high",
  MODERATE: "medium",
  MEDIUM: "medium",
  LOW: "low",
};

// Scoring a CVSS 4 vector is not free and the same record is rated once per matching dependency.
const cache = new WeakMap<OsvRecord, Severity>();

export function severityOf(record: RatedRecord): Severity {
  const hit = cache.get(record);
  if (hit) return hit;
  let result = ownSeverity(record);
  if (result.level === "unknown") {
    // The first alias that is rated stands in (the store lists them in the record's alias order).
    for (const alias of record.aliasRecords ?? []) {
      const rated = ownSeverity(alias);
      if (rated.level !== "unknown") {
        result = { ...rated, source: `alias ${alias.id}` };
        break;
      }
    }
  }
  cache.set(record, result);
  return result;
}

function ownSeverity(record: OsvRecord): Severity {
  const own = scoreFromVectors(record);
  const specific = own ? null : vectorInDatabaseSpecific(record.database_specific);
  const scored = own ?? specific;
  const source = own ? "severity" : "database_specific";
  // A malicious package is the worst case whatever its CVSS says: installing it runs the attacker's code.
  if (isMalwareId(record.id))
    return { level: "critical", score: scored?.score ?? null, vector: scored?.vector ?? null, source: "malware" };
  if (scored) return { level: levelForScore(scored.score), score: scored.score, vector: scored.vector, source };
  const label = record.database_specific?.severity;
  if (typeof label === "string") {
    const level = DATABASE_LABELS[label.trim().toUpperCase()];
    if (level) return { level, score: null, vector: null, source: "database_specific" };
  }
  return { level: "unknown", score: null, vector: null };
}

const VECTOR_PREFIX = /^(CVSS:(4\.0|3\.[01])\/|\(?AV:[LAN]\/)/;

/**
 * A CVSS vector a database put in its own field (`database_specific.cvss`, `…cvss_v3.vectorString`,
 * whatever it calls it): the highest-version readable one, searched a few levels deep and bounded.
 */
function vectorInDatabaseSpecific(specific: unknown): ScoredVector | null {
  const found: string[] = [];
  const visit = (value: unknown, depth: number) => {
    if (found.length >= 20 || depth > 3) return;
    if (typeof value === "string") {
      if (VECTOR_PREFIX.test(value.trim())) found.push(value.trim());
    } else if (Array.isArray(value)) {
      for (const item of value.slice(0, 20)) visit(item, depth + 1);
    } else if (value && typeof value === "object") {
      for (const item of Object.values(value).slice(0, 50)) visit(item, depth + 1);
    }
  };
  visit(specific, 0);
  const version = (v: string) =>
    v.startsWith("CVSS:4.0/") ? 3 : v.startsWith("CVSS:3.1/") ? 2 : v.startsWith("CVSS:3") ? 1 : 0;
  for (const vector of found.sort((a, b) => version(b) - version(a))) {
    const scored = cvssBaseScore(vector);
    if (scored) return scored;
  }
  return null;
}

function scoreFromVectors(record: OsvRecord): ScoredVector | null {
  const entries = record.severity ?? [];
  for (const preferred of PREFERENCE) {
    for (const entry of entries.filter(preferred)) {
      const scored = cvssBaseScore(entry.score);
      if (scored) return scored;
    }
  }
  return null;
}
