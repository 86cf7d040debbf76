import "server-only";
import { and, asc, eq, inArray, ne, notInArray, or, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import {
  allowlistEntries,
  dependencyManifests,
  requestDependencies,
  type ChangeRequest,
  type RequestDependency,
} from "@/db/schema";
import type { ParseResult, TargetEnvironment } from "../dependencies/manifests";
import {
  dependencyWindow,
  type DependencyCounts,
  type DependencyFilter,
  type DependencyListQuery,
} from "./dependency-list";
import {
  allDependenciesCovered,
  dependencyKey,
  ignoredFindings,
  type ReviewedDependency,
} from "../dependencies/review";
import { blockingPackages, type BlockingPackage } from "./blocking";
import { advisoriesFor, advisorySnapshot } from "./advisory-store";
import { activeAllowlist } from "./allowlist";
import { licencePolicy } from "./licence-policy";
import { declared, findingFromStore, reviewDependencies } from "./review";

/**
 * Stores a parsed manifest on a request (replacing the current one) with each dependency's review:
 * findings against the stored advisories, licence status, supply-chain signals, and whether the
 * organisation has seen the package before.
 */
export async function storeManifest(
  tx: Tx,
  request: Pick<ChangeRequest, "id">,
  revision: number,
  upload: { fileName: string; content: string; target: TargetEnvironment; uploadedBy: string | null },
  parsed: ParseResult,
  now: Date,
) {
  await tx
    .update(dependencyManifests)
    .set({ current: false })
    .where(and(eq(dependencyManifests.requestId, request.id), eq(dependencyManifests.current, true)));
  const deps = parsed.dependencies;
  const [records, snapshot, policy] = await Promise.all([
    advisoriesFor(tx, deps),
    advisorySnapshot(tx),
    licencePolicy(tx),
  ]);
  const reviews = reviewDependencies(deps, records, policy, parsed.format);
  const known = await knownPackages(tx, request.id, deps);
  const [manifest] = await tx
    .insert(dependencyManifests)
    .values({
      requestId: request.id,
      revision,
      fileName: upload.fileName,
      format: parsed.format,
      content: upload.content,
      target: { ...upload.target },
      errors: parsed.errors,
      warnings: parsed.warnings,
      advisorySnapshotAt: snapshot.importedAt,
      uploadedBy: upload.uploadedBy,
      createdAt: now,
    })
    .returning();
  const rows = deps.map((d, i) => ({
    manifestId: manifest!.id,
    requestId: request.id,
    ...declared(d),
    hashes: d.hashes,
    direct: d.direct,
    url: d.url,
    licence: d.licence,
    hasInstallScript: d.hasInstallScript,
    findings: reviews[i]!.findings,
    licenceStatus: reviews[i]!.licenceStatus,
    signals: reviews[i]!.signals,
    newToOrg: !known.has(`${d.ecosystem} ${d.normalizedName}`),
  }));
  for (let i = 0; i < rows.length; i += 500) await tx.insert(requestDependencies).values(rows.slice(i, i + 500));
  return {
    manifest: manifest!,
    dependencies: rows.length,
    findings: rows.reduce((n, r) => n + r.findings.length, 0),
    signals: rows.reduce((n, r) => n + r.signals.length, 0),
  };
}

/** Packages the organisation has met before: on another request's manifest, or on the allowlist. */
async function knownPackages(
  tx: Tx,
  requestId: string,
  deps: readonly { ecosystem: string; normalizedName: string }[],
) {
  const known = new Set<string>();
  const names = [...new Set(deps.map((d) => d.normalizedName))];
  for (let i = 0; i < names.length; i += 500) {
    const chunk = names.slice(i, i + 500);
    const [seen, listed] = await Promise.all([
      tx
        .selectDistinct({ ecosystem: requestDependencies.ecosystem, name: requestDependencies.normalizedName })
        .from(requestDependencies)
        .where(and(inArray(requestDependencies.normalizedName, chunk), ne(requestDependencies.requestId, requestId))),
      tx
        .selectDistinct({ ecosystem: allowlistEntries.ecosystem, name: allowlistEntries.normalizedName })
        .from(allowlistEntries)
        .where(inArray(allowlistEntries.normalizedName, chunk)),
    ]);
    for (const r of [...seen, ...listed]) known.add(`${r.ecosystem} ${r.name}`);
  }
  return known;
}

/** The request's current manifest, without its dependencies (a read pages those: dependencyPage). */
export async function currentManifestRecord(db: Db | Tx, requestId: string) {
  const [manifest] = await db
    .select()
    .from(dependencyManifests)
    .where(and(eq(dependencyManifests.requestId, requestId), eq(dependencyManifests.current, true)));
  return manifest ?? null;
}

const d = requestDependencies;
/** Each list as a condition on a stored row (lib/security/dependency-list.ts names them). */
const FILTER_SQL: Record<DependencyFilter, SQL> = {
  all: sql`true`,
  pending: sql`${d.decision} = 'pending'`,
  new: sql`${d.newToOrg}`,
  affected: sql`jsonb_array_length(${d.findings}) > 0`,
  licence: notInArray(d.licenceStatus, ["allowed", "not_declared"])!,
  signals: sql`jsonb_array_length(${d.signals}) > 0`,
};

/** How many of the manifest's dependencies each list holds, counted in one pass in SQL. */
export async function dependencyCounts(db: Db | Tx, manifestId: string): Promise<DependencyCounts> {
  const counted = (filter: DependencyFilter) =>
    sql<number>`count(*) filter (where ${FILTER_SQL[filter]})`.mapWith(Number);
  const [row] = await db
    .select({
      all: counted("all"),
      pending: counted("pending"),
      new: counted("new"),
      affected: counted("affected"),
      licence: counted("licence"),
      signals: counted("signals"),
      rejected: sql<number>`count(*) filter (where ${d.decision} = 'rejected')`.mapWith(Number),
    })
    .from(d)
    .where(eq(d.manifestId, manifestId));
  return row ?? { all: 0, pending: 0, new: 0, affected: 0, licence: 0, signals: 0, rejected: 0 };
}

/**
 * One page of a list of the manifest's dependencies, in manifest order (line, then name, then id so
 * that rows on one line keep their place between pages). Offset paging is enough here: a manifest
 * holds at most MANIFEST_LIMITS.packages rows, so the deepest page skips a few thousand index entries.
 */
export async function dependencyPage(db: Db | Tx, manifestId: string, query: DependencyListQuery, total: number) {
  const window = dependencyWindow(total, query);
  const rows =
    window.offset < total
      ? await db
          .select()
          .from(d)
          .where(and(eq(d.manifestId, manifestId), FILTER_SQL[query.show]))
          .orderBy(sql`${d.line} asc nulls last`, asc(d.normalizedName), asc(d.id))
          .limit(query.limit)
          .offset(window.offset)
      : [];
  return { rows, window };
}

export async function currentManifest(tx: Db | Tx, requestId: string) {
  const [manifest] = await tx
    .select()
    .from(dependencyManifests)
    .where(and(eq(dependencyManifests.requestId, requestId), eq(dependencyManifests.current, true)));
  if (!manifest) return null;
  const deps = await tx
    .select()
    .from(requestDependencies)
    .where(eq(requestDependencies.manifestId, manifest.id))
    .orderBy(requestDependencies.line, requestDependencies.normalizedName);
  return { manifest, deps };
}

/** A stored dependency in the review's own shape (what allowlist entries and findings are matched on). */
export function reviewedDependency(d: RequestDependency): ReviewedDependency {
  return {
    ecosystem: d.ecosystem,
    normalizedName: d.normalizedName,
    name: d.name,
    spec: d.spec,
    pinnedVersion: d.pinnedVersion,
    kind: d.kind,
    licence: d.licence,
    hasInstallScript: d.hasInstallScript,
    url: d.url,
  } as ReviewedDependency;
}

export type DependencyCoverage = {
  dependencies: number;
  covered: boolean;
  uncovered: { name: string; why: string }[];
  usedEntryIds: string[];
} | null;

/**
 * For the `all_dependencies_allowlisted` rule: is every dependency on the request's manifest covered
 * by an active allowlist entry, with no open finding and no rejection? null when there is no manifest.
 */
export async function dependencyCoverage(
  tx: Db | Tx,
  request: Pick<ChangeRequest, "id" | "teamId">,
  now: Date,
): Promise<DependencyCoverage> {
  const current = await currentManifest(tx, request.id);
  if (!current) return null;
  // Only dependencies that apply to the target count (a marker that is false means "not installed there").
  const deps = current.deps.filter((d) => d.markerResult !== "false");
  const reviewed = deps.map((d) => ({ row: d, dep: reviewedDependency(d) }));
  const findings = new Map(
    reviewed.map(({ row, dep }) => [dependencyKey(dep), row.findings.map((f) => findingFromStore(dep, f))]),
  );
  const coverage = allDependenciesCovered(
    reviewed.map((r) => r.dep),
    findings,
    await activeAllowlist(tx, now),
    { teamId: request.teamId, now },
  );
  const uncovered = coverage.uncovered.map((u) => ({ name: u.dep.name, why: u.why }));
  for (const { row } of reviewed)
    if (row.decision === "rejected")
      uncovered.push({ name: row.name, why: `rejected: ${row.decisionReason ?? "no reason"}` });
  return {
    dependencies: deps.length,
    covered: coverage.covered && uncovered.length === 0,
    uncovered,
    usedEntryIds: coverage.usedEntryIds,
  };
}

/** Marks allowlist entries as used (the "entries nobody used" list reads this). */
export async function markEntriesUsed(tx: Tx, ids: readonly string[], now: Date) {
  if (ids.length)
    await tx
      .update(allowlistEntries)
      .set({ lastUsedAt: now })
      .where(or(...ids.map((id) => eq(allowlistEntries.id, id))));
}

/**
 * The packages of the request's current manifest that block approving its security step
 * (lib/security/blocking.ts): rejected ones, and ones with a malware record no active ignore entry
 * dismisses. A package whose marker is false for the target is not installed there and never blocks.
 */
export async function manifestBlocking(
  tx: Db | Tx,
  request: Pick<ChangeRequest, "id" | "teamId">,
  now: Date,
): Promise<BlockingPackage[]> {
  const current = await currentManifest(tx, request.id);
  if (!current) return [];
  const deps = current.deps.filter((d) => d.markerResult !== "false");
  const flagged = deps.some((d) => d.findings.some((f) => f.malware));
  const entries = flagged ? await activeAllowlist(tx, now) : [];
  return blockingPackages(
    deps.map((row) => {
      const dep = reviewedDependency(row);
      const malware = row.findings.filter((f) => f.malware).map((f) => findingFromStore(dep, f));
      const { open } = malware.length
        ? ignoredFindings(malware, entries, { teamId: request.teamId, now })
        : { open: [] };
      return {
        name: row.name,
        version: row.pinnedVersion ?? row.spec,
        decision: row.decision,
        openMalware: open.map((f) => f.primaryId),
      };
    }),
  );
}
