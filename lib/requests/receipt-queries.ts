import "server-only";
import { desc, eq, isNotNull, lte, or } from "drizzle-orm";
import type { Db } from "@/db";
import { changeRequests, receipts } from "@/db/schema";
import type { UserContext } from "../auth/actor";
import { NotFound } from "../errors";
import { receiptJwks } from "../signing/published-keys";
import { findRequestRecord } from "./queries";
import { artifactOf } from "./receipts";

// Receipts, their keys and the revocation list are for any signed-in caller (people and CI tokens),
// like the gate and the request itself: a receipt says nothing the request page does not.

export type ReceiptState = "valid" | "revoked" | "expired";

function stateOf(row: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): ReceiptState {
  if (row.revokedAt) return "revoked";
  return row.expiresAt && row.expiresAt <= now ? "expired" : "valid";
}

/** A request's latest receipt and its state now; null with the reason when it has none. */
export async function findReceipt(db: Db, rawNumber: string, now = new Date()) {
  const request = await findRequestRecord(db, rawNumber);
  if (!request) return { receipt: null, why: "No such request." };
  const [row] = await db
    .select()
    .from(receipts)
    .where(eq(receipts.requestId, request.id))
    .orderBy(desc(receipts.revision))
    .limit(1);
  if (row) return { receipt: { ...row, number: request.number, state: stateOf(row, now) }, why: null };
  return { receipt: null, why: await whyNoReceipt(db, request) };
}

async function whyNoReceipt(db: Db, request: NonNullable<Awaited<ReturnType<typeof findRequestRecord>>>) {
  const name = `CR-${request.number}`;
  if (request.kind !== "deployment") return `${name} is not a deployment: only deployments get a receipt.`;
  const artifact = await artifactOf(db, request);
  if (artifact && !artifact.artifactDigest) {
    return `${name} has no receipt: ${artifact.model} ${artifact.version} has no recorded artifact digest, so there are no bytes to bind the approval to.`;
  }
  if (["approved", "deployed"].includes(request.status)) {
    return `${name} was approved before receipts were issued: it has none.`;
  }
  return `${name} has no receipt: it has not been approved.`;
}

/** GET /api/v1/requests/{number}/receipt: the envelope, or a 404 saying why there is none. */
export async function readReceipt(ctx: UserContext, input: { number: string }) {
  const { receipt, why } = await findReceipt(ctx.db, input.number);
  if (!receipt) throw new NotFound(why);
  return receipt;
}

/** GET /api/v1/receipts/keys: every public key that ever signed a receipt, retired ones included. */
export async function readReceiptKeys(ctx: UserContext) {
  return receiptJwks(ctx.db);
}

/** GET /api/v1/receipts/revoked: receipts that no longer vouch for anything, newest first. */
export async function readRevokedReceipts(ctx: UserContext, now = new Date()) {
  const rows = await ctx.db
    .select({
      number: changeRequests.number,
      revision: receipts.revision,
      artifactDigest: receipts.artifactDigest,
      keyId: receipts.keyId,
      revokedAt: receipts.revokedAt,
      reason: receipts.revokedReason,
      expiresAt: receipts.expiresAt,
      createdAt: receipts.createdAt,
    })
    .from(receipts)
    .innerJoin(changeRequests, eq(changeRequests.id, receipts.requestId))
    .where(or(isNotNull(receipts.revokedAt), lte(receipts.expiresAt, now)))
    .orderBy(desc(receipts.createdAt));
  return rows.map((r) => ({ ...r, state: stateOf(r, now) }));
}
