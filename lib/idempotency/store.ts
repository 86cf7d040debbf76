import "server-only";
import { and, eq, inArray, lte, or } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { idempotencyKeys } from "@/db/schema";
import { Conflict } from "../errors";

/** How long a key is remembered: a retry within this answers the first answer; after it, runs again. */
export const KEY_LIFETIME_HOURS = 24;

/**
 * How long a claim with nothing committed holds before a retry may take it over: far above any
 * verb's transaction, so only a claim whose server died is taken. The old holder, should it still be
 * running, can no longer commit under the key (markCommitted), so taking over never doubles a change.
 */
export const CLAIM_LEASE_SECONDS = 120;

/** Expired rows deleted per claim: keeps the table to about a day's keys without a sweep of its own. */
const PURGE_BATCH = 100;

export type Fingerprint = { method: string; path: string; bodySha256: string };
export type StoredAnswer = { status: number; headers: Record<string, string>; body: string };
export type Claim = { id: string; claimToken: string };

export type ClaimOutcome =
  | { kind: "claimed"; claim: Claim }
  | { kind: "replay"; answer: StoredAnswer }
  | { kind: "mismatch" }
  | { kind: "in_progress"; retryAfterSeconds: number }
  | { kind: "answer_lost" };

/**
 * Claims `key` for `scope` (autocommitted, before the handler runs), or says what the key already
 * holds. Two claims at once: the unique index lets one insert; the other reads the winner's row.
 */
export async function claimKey(
  db: Db,
  input: { scope: string; key: string; fingerprint: Fingerprint },
  now: Date,
): Promise<ClaimOutcome> {
  await purgeExpired(db, input, now);
  const claimToken = crypto.randomUUID();
  const [inserted] = await db
    .insert(idempotencyKeys)
    .values({
      scope: input.scope,
      key: input.key,
      ...input.fingerprint,
      state: "in_progress",
      claimToken,
      claimedAt: now,
      createdAt: now,
      expiresAt: new Date(now.getTime() + KEY_LIFETIME_HOURS * 3_600_000),
    })
    .onConflictDoNothing({ target: [idempotencyKeys.scope, idempotencyKeys.key] })
    .returning({ id: idempotencyKeys.id });
  if (inserted) return { kind: "claimed", claim: { id: inserted.id, claimToken } };

  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, input.scope), eq(idempotencyKeys.key, input.key)));
  // Released (or expired and purged) between our insert and this read: the client may simply retry.
  if (!row) return { kind: "in_progress", retryAfterSeconds: 1 };
  const f = input.fingerprint;
  if (row.method !== f.method || row.path !== f.path || row.bodySha256 !== f.bodySha256) return { kind: "mismatch" };
  if (row.state === "done" && row.responseStatus !== null) {
    return {
      kind: "replay",
      answer: { status: row.responseStatus, headers: row.responseHeaders ?? {}, body: row.responseBody ?? "" },
    };
  }
  const leaseEnds = row.claimedAt.getTime() + CLAIM_LEASE_SECONDS * 1000;
  if (now.getTime() < leaseEnds) {
    return {
      kind: "in_progress",
      retryAfterSeconds: Math.max(1, Math.min(5, Math.ceil((leaseEnds - now.getTime()) / 1000))),
    };
  }
  // Past the lease with the change committed: the change stands, but its answer was never stored.
  if (row.state !== "in_progress") return { kind: "answer_lost" };
  // Past the lease with nothing committed: the first server died before committing; run it again.
  const [taken] = await db
    .update(idempotencyKeys)
    .set({ claimToken, claimedAt: now })
    .where(
      and(
        eq(idempotencyKeys.id, row.id),
        eq(idempotencyKeys.claimToken, row.claimToken),
        eq(idempotencyKeys.state, "in_progress"),
      ),
    )
    .returning({ id: idempotencyKeys.id });
  return taken
    ? { kind: "claimed", claim: { id: taken.id, claimToken } }
    : { kind: "in_progress", retryAfterSeconds: 1 };
}

/**
 * Inside the verb's transaction: the claim is used. If a retry took the claim over meanwhile, the
 * verb must not commit (the retry runs it), so this throws and the transaction rolls back.
 */
export async function markCommitted(tx: Tx, claim: Claim): Promise<void> {
  const [row] = await tx
    .update(idempotencyKeys)
    .set({ state: "committed" })
    .where(and(eq(idempotencyKeys.id, claim.id), eq(idempotencyKeys.claimToken, claim.claimToken)))
    .returning({ id: idempotencyKeys.id });
  if (!row) {
    throw new Conflict("This Idempotency-Key was taken over by a later retry; nothing was saved by this request.");
  }
}

/** Stores the answer a retry will get. False: the claim is no longer ours (it was taken over). */
export async function storeAnswer(db: Db, claim: Claim, answer: StoredAnswer): Promise<boolean> {
  const rows = await db
    .update(idempotencyKeys)
    .set({ state: "done", responseStatus: answer.status, responseHeaders: answer.headers, responseBody: answer.body })
    .where(and(eq(idempotencyKeys.id, claim.id), eq(idempotencyKeys.claimToken, claim.claimToken)))
    .returning({ id: idempotencyKeys.id });
  return rows.length > 0;
}

/**
 * Lets a retry run again: only while nothing was committed under the claim. A claim whose change
 * committed keeps its row, so a retry never applies the change a second time.
 */
export async function releaseClaim(db: Db, claim: Claim): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.id, claim.id),
        eq(idempotencyKeys.claimToken, claim.claimToken),
        eq(idempotencyKeys.state, "in_progress"),
      ),
    );
}

// This key's own expired row (so it can be claimed afresh) and a batch of anyone's.
async function purgeExpired(db: Db, input: { scope: string; key: string }, now: Date): Promise<void> {
  const expired = db
    .select({ id: idempotencyKeys.id })
    .from(idempotencyKeys)
    .where(lte(idempotencyKeys.expiresAt, now))
    .limit(PURGE_BATCH);
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        lte(idempotencyKeys.expiresAt, now),
        or(
          and(eq(idempotencyKeys.scope, input.scope), eq(idempotencyKeys.key, input.key)),
          inArray(idempotencyKeys.id, expired),
        ),
      ),
    );
}
