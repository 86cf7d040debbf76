import type { Dependency } from "./types";

// Pure: how big an upload may be, checked before any parsing so a hostile one costs a line count,
// not minutes and gigabytes. The biggest real ML stacks fit with room: a poetry.lock or uv.lock for
// torch + tensorflow + jax + transformers is about 1-3 MB, 10-40 k lines and 300-900 packages; a large
// package-lock.json is 2-6 MB and 2-4 k packages.

export const MANIFEST_LIMITS = {
  /** Characters across the manifest and every included file together. */
  chars: 8_000_000,
  /** Lines across the manifest and every included file together. */
  lines: 150_000,
  /** Distinct dependency entries after parsing (identical entries count once). */
  packages: 5_000,
  includes: 20,
} as const;

/** The JSON body of an upload carries the files escaped: room for that on top of the characters. */
export const MANIFEST_BODY_BYTES = 24_000_000;

const count = (n: number) => n.toLocaleString("en");

function lineCount(text: string, stopAfter: number): number {
  let lines = 1;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) {
    if (++lines > stopAfter) break;
  }
  return lines;
}

/** Why the files are too big to review, or null: the size and the line count, cheapest first. */
export function uploadTooBig(files: readonly { content: string }[]): string | null {
  const chars = files.reduce((n, f) => n + f.content.length, 0);
  if (chars > MANIFEST_LIMITS.chars) {
    return `The upload is ${count(chars)} characters with its included files; Greenlight reviews at most ${count(MANIFEST_LIMITS.chars)}.`;
  }
  let lines = 0;
  for (const f of files) {
    lines += lineCount(f.content, MANIFEST_LIMITS.lines - lines + 1);
    if (lines > MANIFEST_LIMITS.lines) {
      return `The upload has more than ${count(MANIFEST_LIMITS.lines)} lines with its included files; Greenlight reviews at most that many.`;
    }
  }
  return null;
}

const identity = (d: Dependency) =>
  JSON.stringify([
    d.ecosystem,
    d.normalizedName,
    d.spec,
    d.pinnedVersion,
    d.kind,
    d.extras,
    d.marker,
    d.hashes,
    d.direct,
    d.url,
    d.licence,
    d.hasInstallScript,
    d.groups,
    d.build,
    d.channel,
  ]);

/**
 * Identical entries (the same package, constraint, marker and hashes, e.g. a file included twice or a
 * line repeated) are kept once, at their first line: storing them again adds rows and nothing to review.
 */
export function distinctDependencies(dependencies: readonly Dependency[]): Dependency[] {
  const seen = new Set<string>();
  return dependencies.filter((d) => {
    const key = identity(d);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Why the parsed manifest has too many entries to review, or null. */
export function tooManyPackages(dependencies: readonly Dependency[]): string | null {
  if (dependencies.length <= MANIFEST_LIMITS.packages) return null;
  return `The manifest lists ${count(dependencies.length)} distinct entries; Greenlight reviews at most ${count(MANIFEST_LIMITS.packages)} per request. Split the change, or upload the lockfile of one environment.`;
}
