import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { packageLicences } from "@/db/schema";
import type { Dependency } from "../dependencies/manifests/types";
import { licenceFromPypiInfo } from "../dependencies/review";
import { getEnv } from "../env";
import { stopIfCancelled } from "../errors";

/** Lookups per review at most (the rest stay unknown, and the warning says so): bounded for any manifest. */
export const LICENCE_LOOKUP_CAP = 1_000;
const CONCURRENCY = 8;
const TIMEOUT_MS = 10_000;
const MISS_TTL_MS = 7 * 86_400_000;

export type LicenceLookup = { dependencies: Dependency[]; looked: number; found: number; problem: string | null };

const key = (name: string, version: string) => `${name} ${version}`;

/**
 * Python manifests rarely say what licence a package has. With PACKAGE_METADATA_URL set, a pinned
 * PyPI package without one gets the licence its release's metadata declares (PyPI's JSON API shape),
 * through a per-release cache. A failure is reported, never fatal: those packages stay unknown.
 * Runs before the verb's transaction (network calls hold none); the cache is not the request's state.
 */
export async function withPackageLicences(
  db: Db,
  deps: readonly Dependency[],
  now: Date,
  base = getEnv().packageMetadataUrl,
  cancel?: AbortSignal,
): Promise<LicenceLookup> {
  const wanted = [
    ...new Map(
      deps
        .filter((d) => d.ecosystem === "PyPI" && d.pinnedVersion && !d.licence)
        .map((d) => [key(d.normalizedName, d.pinnedVersion!), { name: d.normalizedName, version: d.pinnedVersion! }]),
    ).values(),
  ];
  if (!base || !wanted.length) return { dependencies: [...deps], looked: 0, found: 0, problem: null };
  const known = new Map<string, string | null>();
  // The releases travel as one JSON parameter joined as a table (as the advisory lookup does).
  const rows = await db
    .select()
    .from(packageLicences)
    .where(
      sql`${packageLicences.ecosystem} = 'PyPI' and (${packageLicences.name}, ${packageLicences.version}) in
        (select k.name, k.version from jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) as k(name text, version text))`,
    );
  for (const row of rows) {
    const fresh = row.licence !== null || now.getTime() - row.fetchedAt.getTime() < MISS_TTL_MS;
    if (fresh) known.set(key(row.name, row.version), row.licence);
  }
  const missing = wanted.filter((w) => !known.has(key(w.name, w.version)));
  const asked = missing.slice(0, LICENCE_LOOKUP_CAP);
  const failures: string[] = [];
  const fetched: { name: string; version: string; licence: string | null }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < asked.length) {
      const item = asked[next++]!;
      stopIfCancelled(cancel);
      try {
        const licence = await fetchLicence(base, item.name, item.version, cancel);
        fetched.push({ ...item, licence });
        known.set(key(item.name, item.version), licence);
      } catch (error) {
        stopIfCancelled(cancel);
        failures.push(`${item.name} ${item.version}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, asked.length) }, worker));
  if (fetched.length)
    await db
      .insert(packageLicences)
      .values(fetched.map((f) => ({ ecosystem: "PyPI", ...f, fetchedAt: now })))
      .onConflictDoUpdate({
        target: [packageLicences.ecosystem, packageLicences.name, packageLicences.version],
        set: { licence: sql`excluded.licence`, fetchedAt: sql`excluded.fetched_at` },
      });
  const dependencies = deps.map((d) => {
    const licence =
      d.ecosystem === "PyPI" && d.pinnedVersion && !d.licence
        ? known.get(key(d.normalizedName, d.pinnedVersion))
        : null;
    return licence ? { ...d, licence } : d;
  });
  const skipped = missing.length - asked.length;
  const problems = [
    failures.length ? `${failures.length} lookup(s) failed (${failures.slice(0, 3).join("; ")})` : "",
    skipped > 0 ? `${skipped} package(s) past the ${LICENCE_LOOKUP_CAP} lookups of one review were not looked up` : "",
  ].filter(Boolean);
  return {
    dependencies,
    looked: fetched.length,
    found: dependencies.filter((d, i) => d.licence && !deps[i]!.licence).length,
    problem: problems.length ? problems.join("; ") : null,
  };
}

/** GET {base}/pypi/{name}/{version}/json: the licence its metadata declares; null for none, or no such release (404). */
async function fetchLicence(base: string, name: string, version: string, cancel?: AbortSignal): Promise<string | null> {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  const signal = cancel ? AbortSignal.any([timeout, cancel]) : timeout;
  const response = await fetch(`${base}/pypi/${encodeURIComponent(name)}/${encodeURIComponent(version)}/json`, {
    headers: { accept: "application/json" },
    signal,
  });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`answered ${response.status}`);
  const body = (await response.json()) as { info?: unknown };
  return licenceFromPypiInfo(body.info);
}
