import "server-only";
import { asc, gt } from "drizzle-orm";
import type { Db } from "@/db";
import { auditEvents } from "@/db/schema";
import type { VerifyingKey } from "../signing/ed25519";
import { loadSigningKey, retiredVerifyingKeys } from "../signing/key-file";
import { ChainWalk, type VerifyResult } from "./chain-walk";
import type { AuditCheckpoint } from "./checkpoint";
import { listCheckpoints } from "./checkpoints";

export type { VerifyResult } from "./chain-walk";

/**
 * Walks the whole chain in order against every stored checkpoint and names the first problem: an
 * event that does not link, a checkpoint that is not signed by `key` (the installation's own key
 * unless given), one whose event was rewritten, or one beyond the end of the chain.
 */
export async function verifyAuditChain(
  db: Db,
  options: {
    key?: VerifyingKey;
    /** Checkpoints kept elsewhere (an earlier export), held to the same tests as the stored ones. */
    alsoCheckpoints?: readonly AuditCheckpoint[];
    pageSize?: number;
  } = {},
): Promise<VerifyResult> {
  const pageSize = options.pageSize ?? 2000;
  const stored = await listCheckpoints(db);
  const known = new Set(stored.map((c) => `${c.seq}:${c.signature}`));
  const extra = (options.alsoCheckpoints ?? []).filter((c) => !known.has(`${c.seq}:${c.signature}`));
  const walk = new ChainWalk([...stored, ...extra], options.key ?? [loadSigningKey(), ...retiredVerifyingKeys()]);
  let after = 0;
  for (;;) {
    const page = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.seq, after))
      .orderBy(asc(auditEvents.seq))
      .limit(pageSize);
    for (const row of page) {
      if (!walk.add({ ...row, occurredAt: row.occurredAt.toISOString() })) return walk.finish();
      after = row.seq;
    }
    if (page.length < pageSize) return walk.finish();
  }
}
