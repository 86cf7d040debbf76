// The OSV record (https://ossf.github.io/osv-schema/) as far as the review reads it. Records come
// from an offline dump, so they are checked once here and every later step can trust their shape.
import { z } from "zod";
import { MAX_YEAR, MIN_YEAR, unstorableText } from "../../validation";
import { normalisePackageName } from "./types";

/** An RFC 3339 time a timestamp column can hold (no year 0, no +275760). */
const osvTime = z
  .string()
  .min(1)
  .max(64)
  .refine((v) => {
    const at = Date.parse(v);
    if (!Number.isFinite(at)) return false;
    const year = new Date(at).getUTCFullYear();
    return year >= MIN_YEAR && year <= MAX_YEAR;
  }, "not a time like 2026-01-01T00:00:00Z");
/** Ids and names are keys of indexed columns: far below PostgreSQL's index row limit (~2.7 kB). */
const osvId = z.string().min(1).max(200);

// OSV says each event object has exactly one key. Modelled as one object with four optional keys
// plus a check, because a union of single-key objects would silently drop the extra keys of a
// malformed event instead of rejecting it.
const osvEvent = z
  .object({
    introduced: z.string().min(1).optional(),
    fixed: z.string().min(1).optional(),
    last_affected: z.string().min(1).optional(),
    limit: z.string().min(1).optional(),
  })
  .refine((e) => [e.introduced, e.fixed, e.last_affected, e.limit].filter((v) => v !== undefined).length === 1, {
    message: "an event has exactly one of introduced, fixed, last_affected, limit",
  });

const osvRange = z.object({
  type: z.enum(["SEMVER", "ECOSYSTEM", "GIT"]),
  repo: z.string().optional(),
  events: z.array(osvEvent).min(1),
});

const openObject = z.record(z.string(), z.unknown());

const osvAffected = z.object({
  package: z.object({
    ecosystem: z.string().min(1).max(100),
    name: z.string().min(1).max(300),
    purl: z.string().max(1_000).optional(),
  }),
  ranges: z.array(osvRange).optional(),
  versions: z.array(z.string()).optional(),
  database_specific: openObject.optional(),
  ecosystem_specific: openObject.optional(),
});

export const osvRecordSchema = z.object({
  id: osvId,
  modified: osvTime,
  published: osvTime.optional(),
  withdrawn: osvTime.optional(),
  aliases: z.array(osvId).optional(),
  summary: z.string().optional(),
  details: z.string().optional(),
  // Scores are kept as plain strings: their meaning depends on `type` and severity.ts interprets them.
  severity: z.array(z.object({ type: z.string(), score: z.string() })).optional(),
  // The schema allows a record without `affected` (e.g. some withdrawn ones); it then matches nothing.
  affected: z.array(osvAffected).default([]),
  // GHSA puts its own rating here as database_specific.severity; other databases put other things.
  database_specific: openObject.optional(),
});

export type OsvRecord = z.infer<typeof osvRecordSchema>;
export type OsvAffected = OsvRecord["affected"][number];
export type OsvRange = NonNullable<OsvAffected["ranges"]>[number];
export type OsvEvent = OsvRange["events"][number];

export type OsvParseResult = { ok: true; record: OsvRecord } | { ok: false; problems: string[] };

/** Checks one decoded OSV JSON document. Never throws: a bad record is reported, not fatal. */
export function parseOsvRecord(json: unknown): OsvParseResult {
  try {
    // Text a column cannot hold (NUL, lone surrogates) anywhere in the record: reported like any other flaw.
    const unstorable = Object.entries(unstorableText(json));
    if (unstorable.length) return { ok: false, problems: unstorable.map(([path, [why]]) => `${path}: ${why}`) };
    const result = osvRecordSchema.safeParse(json);
    if (result.success) return { ok: true, record: result.data };
    return {
      ok: false,
      problems: result.error.issues.map(
        (issue) => `${issue.path.length ? issue.path.join(".") : "(record)"}: ${issue.message}`,
      ),
    };
  } catch (error) {
    // Hostile input (a throwing getter, a revoked proxy) can still make reading it throw.
    return { ok: false, problems: [`(record): unreadable: ${error instanceof Error ? error.message : String(error)}`] };
  }
}

/**
 * The key a package is filed under in the advisory index. OSV stores PyPI names PEP 503-normalised
 * already, but normalising both sides means a hand-written or older record still matches.
 * The ecosystem is cut at ":" because OSV may qualify it (e.g. "Debian:12"); PyPI and npm never are.
 */
export function osvPackageKey(ecosystem: string, name: string): string {
  const base = ecosystem.split(":")[0] ?? ecosystem;
  return `${base}\u0000${normalisePackageName(base, name)}`;
}

/** The record's own id followed by its aliases, without repeats. */
export function recordIds(record: OsvRecord): string[] {
  return [...new Set([record.id, ...(record.aliases ?? [])])];
}

/** OSV's "malicious package" records (from the OpenSSF malicious-packages feed) carry MAL- ids. */
export function isMalwareId(id: string): boolean {
  return id.toUpperCase().startsWith("MAL-");
}
