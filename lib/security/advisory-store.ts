import "server-only";
import { inArray, max, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { advisories, advisoryPackages } from "@/db/schema";
import { normalisePackageName, severityOf, type OsvRecord, type RatedRecord } from "../dependencies/review";

/** How a package is filed: the ecosystem without its version suffix ("Debian:12" -> "Debian") and the normalised name. */
const packageKey = (ecosystem: string, name: string) => {
  const base = ecosystem.split(":")[0] ?? ecosystem;
  return { ecosystem: base, name: normalisePackageName(base, name) };
};

/**
 * Stores OSV records: a record replaces the stored copy only when its `modified` is newer, so importing
 * an older dump never rolls the snapshot back. Batched (a full ecosystem dump is tens of thousands).
 */
export async function storeAdvisories(tx: Tx, records: readonly OsvRecord[], source: string, now: Date) {
  let added = 0;
  let updated = 0;
  // The ids whose stored copy this import wrote: only their packages need a re-check.
  const changedIds: string[] = [];
  // One copy per id within the import itself: the most recently modified.
  const latest = new Map<string, OsvRecord>();
  for (const r of records) if (!latest.has(r.id) || latest.get(r.id)!.modified < r.modified) latest.set(r.id, r);
  const unique = [...latest.values()];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    const rows = await tx
      .insert(advisories)
      .values(
        chunk.map((r) => ({
          id: r.id,
          modified: new Date(r.modified),
          withdrawn: r.withdrawn ? new Date(r.withdrawn) : null,
          summary: r.summary ?? null,
          record: r as unknown as Record<string, unknown>,
          source,
          importedAt: now,
        })),
      )
      .onConflictDoUpdate({
        target: advisories.id,
        set: {
          modified: sql`excluded.modified`,
          withdrawn: sql`excluded.withdrawn`,
          summary: sql`excluded.summary`,
          record: sql`excluded.record`,
          source: sql`excluded.source`,
          importedAt: sql`excluded.imported_at`,
        },
        setWhere: sql`${advisories.modified} < excluded.modified`,
      })
      .returning({ id: advisories.id, inserted: sql<boolean>`xmax = 0` });
    if (!rows.length) continue;
    added += rows.filter((r) => r.inserted).length;
    updated += rows.filter((r) => !r.inserted).length;
    const changed = new Set(rows.map((r) => r.id));
    changedIds.push(...changed);
    await tx.delete(advisoryPackages).where(inArray(advisoryPackages.advisoryId, [...changed]));
    const packages = new Map<string, { advisoryId: string; ecosystem: string; name: string }>();
    for (const record of chunk) {
      if (!changed.has(record.id)) continue;
      for (const a of record.affected ?? []) {
        if (!a.package?.ecosystem || !a.package.name) continue;
        const key = packageKey(a.package.ecosystem, a.package.name);
        packages.set(`${record.id} ${key.ecosystem} ${key.name}`, { advisoryId: record.id, ...key });
      }
    }
    if (packages.size)
      await tx
        .insert(advisoryPackages)
        .values([...packages.values()])
        .onConflictDoNothing();
  }
  return { counts: { added, updated, unchanged: unique.length - added - updated }, changedIds };
}

/** At most this many alias records are read for one review (bounded work for any manifest). */
const ALIAS_LOOKUP_CAP = 5_000;

/**
 * The stored records naming any of these packages (the only ones a review needs). A record with no
 * rating of its own comes with the stored records of its aliases (a PYSEC record's GHSA or CVE
 * twin, which may name no PyPI package at all), so severityOf can take their rating.
 */
export async function advisoriesFor(
  tx: Db | Tx,
  packages: readonly { ecosystem: string; normalizedName: string }[],
): Promise<RatedRecord[]> {
  return withAliasRecords(tx, await recordsNaming(tx, packages));
}

async function withAliasRecords(tx: Db | Tx, records: OsvRecord[]): Promise<RatedRecord[]> {
  const held = new Set(records.map((r) => r.id));
  const unrated = new Set(records.filter((r) => r.aliases?.length && severityOf(r).level === "unknown"));
  const wanted = [...new Set([...unrated].flatMap((r) => r.aliases ?? []))].filter((id) => !held.has(id));
  if (!wanted.length) return records;
  const byId = new Map<string, OsvRecord>(records.map((r) => [r.id, r]));
  const ids = wanted.slice(0, ALIAS_LOOKUP_CAP);
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await tx
      .select({ record: advisories.record })
      .from(advisories)
      .where(inArray(advisories.id, ids.slice(i, i + 500)));
    for (const row of rows) {
      const record = row.record as unknown as OsvRecord;
      byId.set(record.id, record);
    }
  }
  return records.map((r) =>
    unrated.has(r)
      ? { ...r, aliasRecords: (r.aliases ?? []).flatMap((id) => (byId.has(id) && id !== r.id ? [byId.get(id)!] : [])) }
      : r,
  );
}

async function recordsNaming(
  tx: Db | Tx,
  packages: readonly { ecosystem: string; normalizedName: string }[],
): Promise<OsvRecord[]> {
  if (!packages.length) return [];
  const unique = [
    ...new Map(
      packages.map((p) => packageKey(p.ecosystem, p.normalizedName)).map((k) => [`${k.ecosystem} ${k.name}`, k]),
    ).values(),
  ];
  // The packages travel as one JSON parameter, joined as a table: a statement of a few hundred ORs
  // cost more to plan than to run (most of a 1,000-package scan on the embedded engine). The ids are
  // found first, then each record read once (no DISTINCT over the records' JSON).
  const rows = await tx
    .select({ record: advisories.record })
    .from(advisories)
    .where(
      sql`${advisories.id} in (select p.advisory_id from ${advisoryPackages} p
        join jsonb_to_recordset(${JSON.stringify(unique)}::jsonb) as k(ecosystem text, name text)
          on p.ecosystem = k.ecosystem and p.name = k.name)`,
    );
  return rows.map((r) => r.record as unknown as OsvRecord);
}

export async function advisorySnapshot(tx: Db | Tx) {
  const [row] = await tx.select({ at: max(advisories.importedAt), count: sql<number>`count(*)::int` }).from(advisories);
  return { importedAt: row?.at ?? null, count: row?.count ?? 0 };
}
