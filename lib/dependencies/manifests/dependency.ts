/** Small helpers every parser shares: building a Dependency and reading untrusted parsed data. */
import type { Dependency, ManifestIssue } from "./types";

type Required = Pick<Dependency, "ecosystem" | "name" | "normalizedName">;

/** Fills the fields a format does not carry, so each parser only states what it knows. */
export function makeDependency(fields: Required & Partial<Dependency>): Dependency {
  return {
    spec: null,
    pinnedVersion: null,
    kind: "range",
    extras: [],
    marker: null,
    markerResult: null,
    hashes: [],
    direct: false,
    line: null,
    url: null,
    licence: null,
    hasInstallScript: false,
    groups: [],
    build: null,
    channel: null,
    ...fields,
  };
}

/** Collects what a parser found, so parsers never throw to report a problem. */
export class Findings {
  readonly dependencies: Dependency[] = [];
  readonly errors: ManifestIssue[] = [];
  readonly warnings: ManifestIssue[] = [];

  error(line: number | null, message: string, file?: string): void {
    this.errors.push(file === undefined ? { line, message } : { line, message, file });
  }

  warn(line: number | null, message: string, file?: string): void {
    this.warnings.push(file === undefined ? { line, message } : { line, message, file });
  }

  add(dependency: Dependency): void {
    this.dependencies.push(dependency);
  }
}

// Parsed JSON/TOML/YAML is attacker-controlled: read it only through these guards.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asString(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

export function asStringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** Own-property lookup: a key such as "constructor" must not reach Object.prototype. */
export function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function ownRecord(record: Record<string, unknown>, key: string): Record<string, unknown> | null {
  const value = own(record, key);
  return isRecord(value) ? value : null;
}
