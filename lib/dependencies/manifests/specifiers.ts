/** PEP 440 version specifiers: validation, canonical spelling, and what a spec pins. */
import { explain, satisfies, validRange } from "@renovatebot/pep440";
import { normalizePep440 } from "./names";
import type { DependencyKind } from "./types";

const CLAUSE = /^(===|~=|==|!=|<=|>=|<|>)\s*(\S+)$/;

/** Why a single clause such as ">=2.8.1" or "~=1" is invalid, or null when it is fine. */
export function clauseProblem(clause: string): string | null {
  const match = CLAUSE.exec(clause.trim());
  if (!match) return `"${clause.trim()}" is not a version specifier`;
  const [, operator = "", version = ""] = match;
  // === is arbitrary string equality: any non-blank version is allowed.
  if (operator === "===") return null;
  const wildcard = version.endsWith(".*");
  if (wildcard && operator !== "==" && operator !== "!=") return `"${operator}" cannot be used with a ".*" wildcard`;
  const parts = explain(wildcard ? version.slice(0, -2) : version);
  if (!parts) return `"${version}" is not a PEP 440 version`;
  if (wildcard && parts.local) return `"${version}" mixes a wildcard with a local version`;
  if (parts.local && operator !== "==" && operator !== "!=") return `"${operator}" cannot be used with a local version`;
  if (operator === "~=" && parts.release.length < 2) return `"~=${version}" needs at least two release segments`;
  return null;
}

/**
 * Canonical form of a comma-separated specifier set: whitespace removed, duplicates dropped and
 * clauses sorted, as Python's `packaging` prints SpecifierSet, so equal specs compare equal.
 */
export function canonicalSpec(clauses: string[]): string | null {
  const compact = clauses.map((c) => c.replace(/\s+/g, "")).filter((c) => c !== "");
  if (compact.length === 0) return null;
  return [...new Set(compact)].sort().join(",");
}

/** Pinned when the spec allows exactly one version: a single "==X" without wildcard, or "===X". */
export function classifySpec(spec: string | null): { kind: DependencyKind; pinnedVersion: string | null } {
  if (spec === null) return { kind: "range", pinnedVersion: null };
  const clauses = spec.split(",").map((c) => c.trim());
  const only = clauses.length === 1 ? clauses[0] : undefined;
  if (only?.startsWith("===")) return { kind: "pinned", pinnedVersion: only.slice(3).trim() };
  if (only?.startsWith("==") && !only.includes("*")) {
    const version = only.slice(2).trim();
    return { kind: "pinned", pinnedVersion: normalizePep440(version) ?? version };
  }
  return { kind: "range", pinnedVersion: null };
}

/**
 * Does a PEP 440 spec allow this version? null when either side is not valid PEP 440, so the
 * caller can report "undetermined" instead of guessing.
 */
export function versionSatisfies(version: string, spec: string | null): boolean | null {
  if (explain(version) === null) return null;
  if (spec === null || spec.trim() === "") return true;
  const clauses = spec.split(",");
  if (clauses.some((c) => clauseProblem(c) !== null) || !validRange(spec.replace(/\s+/g, ""))) return null;
  return satisfies(version, spec.replace(/\s+/g, ""), { prereleases: true });
}
