import "server-only";
import { inArray } from "drizzle-orm";
import type { Db } from "@/db";
import { advisories } from "@/db/schema";
import { getEnv } from "../env";
import { stopIfCancelled } from "../errors";
import { storeAdvisories } from "./advisory-store";
import { fetchOsvRecords, queryOsv } from "./osv-client";

/**
 * With OSV_API_URL set, brings the advisory store up to date for these packages before a review.
 * A network failure is reported, never fatal: the review then runs on the imported snapshot. When
 * `cancel` aborts (the uploader went away), the calls in flight stop and this throws Cancelled.
 */
export async function refreshFromOsv(
  db: Db,
  deps: readonly { ecosystem: string; name: string; pinnedVersion: string | null }[],
  now: Date,
  base = getEnv().osvApiUrl,
  cancel?: AbortSignal,
) {
  if (!base || !deps.length) return { fetched: 0, problem: null };
  try {
    const wanted = await queryOsv(base, deps, cancel);
    if (!wanted.size) return { fetched: 0, problem: null };
    const held = await db
      .select({ id: advisories.id, modified: advisories.modified })
      .from(advisories)
      .where(inArray(advisories.id, [...wanted.keys()]));
    const current = new Set(held.filter((r) => r.modified.getTime() >= Date.parse(wanted.get(r.id)!)).map((r) => r.id));
    const records = await fetchOsvRecords(
      base,
      [...wanted.keys()].filter((id) => !current.has(id)),
      cancel,
    );
    stopIfCancelled(cancel);
    if (records.length) await db.transaction((tx) => storeAdvisories(tx, records, "osv-api", now));
    return { fetched: records.length, problem: null };
  } catch (error) {
    stopIfCancelled(cancel);
    return { fetched: 0, problem: error instanceof Error ? error.message : String(error) };
  }
}
