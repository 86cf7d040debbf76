import "server-only";
import { and, asc, desc, gt, lte, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { auditCheckpoints, auditEvents } from "@/db/schema";
import type { SigningKey, VerifyingKey } from "../signing/ed25519";
import { loadSigningKey, retiredVerifyingKeys } from "../signing/key-file";
import { inUnitOfWork } from "../verb";
import { ChainWalk } from "./chain-walk";
import { checkpointSignatureProblem, signCheckpoint, type AuditCheckpoint } from "./checkpoint";
import { latestCheckpoint } from "./checkpoints";

// Its own lock, not the audit chain's: checkpointing walks the events since the last checkpoint, and
// audited writes must not queue behind that. Two sweeps at once take turns here, and the second
// finds the head already signed (seq is also the table's key).
const AUDIT_CHECKPOINT_LOCK = 0x616e63686f72; // "anchor"
const PAGE_SIZE = 2000;

export type CheckpointOutcome = { created: boolean; checkpoint: AuditCheckpoint | null };

/**
 * Signs the chain's head if it moved since the last checkpoint (the periodic sweep and `cli audit
 * checkpoint`). It signs only a head that extends the last checkpoint through intact links: a
 * checkpoint over a chain already rewritten would vouch for the rewrite. Writes no audit event of
 * its own, which would move the head it has just signed.
 */
export async function checkpointAuditChain(
  db: Db,
  now = new Date(),
  key: SigningKey = loadSigningKey(),
  // After a rotation the last checkpoint may be the retired key's: still trusted, never used to sign.
  trusted: readonly VerifyingKey[] = [key, ...retiredVerifyingKeys()],
): Promise<CheckpointOutcome> {
  return inUnitOfWork(
    db,
    async ({ tx }) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHECKPOINT_LOCK})`);
      const [head] = await tx
        .select({ seq: auditEvents.seq, hash: auditEvents.hash })
        .from(auditEvents)
        .orderBy(desc(auditEvents.seq))
        .limit(1);
      const last = await latestCheckpoint(tx);
      if (!head || (last && last.seq >= head.seq)) return { created: false, checkpoint: last };
      if (last) {
        const untrusted = checkpointSignatureProblem(last, trusted);
        if (untrusted) throw new Error(`Not checkpointing: the last checkpoint (event #${last.seq}) ${untrusted}.`);
      }
      const walk = new ChainWalk([], trusted, last ?? undefined);
      for (let after = last?.seq ?? 0; ;) {
        const page = await tx
          .select()
          .from(auditEvents)
          .where(and(gt(auditEvents.seq, after), lte(auditEvents.seq, head.seq)))
          .orderBy(asc(auditEvents.seq))
          .limit(PAGE_SIZE);
        if (!page.every((row) => walk.add({ ...row, occurredAt: row.occurredAt.toISOString() }))) break;
        if (page.length < PAGE_SIZE) break;
        after = page[page.length - 1]!.seq;
      }
      const verdict = walk.finish();
      if (!verdict.ok) {
        throw new Error(`Not checkpointing: event #${verdict.firstBad.seq}: ${verdict.firstBad.reason}.`);
      }
      const checkpoint = signCheckpoint(key, {
        seq: head.seq,
        hash: head.hash,
        createdAt: new Date(now.getTime()).toISOString(),
      });
      const inserted = await tx
        .insert(auditCheckpoints)
        .values({ ...checkpoint, createdAt: new Date(checkpoint.createdAt) })
        .onConflictDoNothing()
        .returning({ seq: auditCheckpoints.seq });
      return inserted.length
        ? { created: true, checkpoint }
        : { created: false, checkpoint: await latestCheckpoint(tx) };
    },
    { now },
  );
}
