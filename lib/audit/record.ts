import "server-only";
import { desc, sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { auditEvents } from "@/db/schema";
import type { Actor } from "../auth/actor";
import type { AuditAction } from "./actions";
import { queueWebhookEvents } from "./queue-webhooks";
import { auditHash, GENESIS_HASH } from "./hash";

// Any constant: every audit writer takes this transaction-scoped lock before reading the chain's
// head, so concurrent writers queue instead of forking the chain (prev_hash is also UNIQUE).
const AUDIT_CHAIN_LOCK = 0x6175646974; // "audit"

export type AuditInput = {
  action: AuditAction;
  entityType: string;
  entityId: string;
  data?: Record<string, unknown>;
};

/** Appends one event to the chain inside the caller's transaction (fail closed: no event, no change). */
export async function recordAudit(tx: Tx, actor: Actor, input: AuditInput, now = new Date()) {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [head] = await tx
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  // Hash exactly what the database will give back: plain JSON, no Dates or undefined.
  const data = JSON.parse(JSON.stringify(input.data ?? {})) as Record<string, unknown>;
  const content = {
    seq: (head?.seq ?? 0) + 1,
    occurredAt: new Date(now.getTime()).toISOString(),
    actorId: actor.kind === "user" ? actor.id : null,
    actorEmail: actor.kind === "user" ? actor.email : `system:${actor.label}`,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    data,
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  const hash = auditHash(content);
  await tx.insert(auditEvents).values({ ...content, occurredAt: new Date(content.occurredAt), hash });
  // What the log records, subscribers hear: in this transaction, so never one without the other.
  await queueWebhookEvents(tx, {
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    data,
    actor: content.actorEmail,
    seq: content.seq,
    occurredAt: now,
  });
  return { seq: content.seq, hash };
}
