import { z } from "zod";
import type { VerifyingKey } from "../signing/ed25519";
import { ChainWalk, type VerifyResult } from "./chain-walk";
import type { AuditCheckpoint } from "./checkpoint";
import type { AuditContent } from "./hash";

// The verifiable export (ADR 0009): JSON Lines, one object per line, in this order:
//   {"type":"greenlight-audit-export","version":1,"exported_at":…,"key_id":…,"public_key":"-----BEGIN PUBLIC KEY-----…"}
//   {"type":"checkpoint","seq":…,"hash":…,"created_at":…,"key_id":…,"signature":…}   (oldest first)
//   {"type":"event","seq":…,"occurred_at":…,"actor_id":…,"actor_email":…,"action":…,"entity_type":…,
//    "entity_id":…,"data":…,"prev_hash":…,"hash":…}                                    (seq 1 onwards)
// It holds the whole chain with every field the hash covers, so it verifies with no database. The
// public key in the header says which key signed; trust comes from the key the verifier brings.

export const EXPORT_TYPE = "greenlight-audit-export";
export const EXPORT_VERSION = 1;

export type ExportedEvent = AuditContent & { hash: string };

export function exportHeaderLine(key: VerifyingKey, exportedAt: Date): string {
  return JSON.stringify({
    type: EXPORT_TYPE,
    version: EXPORT_VERSION,
    exported_at: exportedAt.toISOString(),
    key_id: key.keyId,
    public_key: key.publicKeyPem,
  });
}

export function checkpointLine(c: AuditCheckpoint): string {
  return JSON.stringify({
    type: "checkpoint",
    seq: c.seq,
    hash: c.hash,
    created_at: c.createdAt,
    key_id: c.keyId,
    signature: c.signature,
  });
}

export function eventLine(e: ExportedEvent): string {
  return JSON.stringify({
    type: "event",
    seq: e.seq,
    occurred_at: e.occurredAt,
    actor_id: e.actorId,
    actor_email: e.actorEmail,
    action: e.action,
    entity_type: e.entityType,
    entity_id: e.entityId,
    data: e.data,
    prev_hash: e.prevHash,
    hash: e.hash,
  });
}

const Header = z.object({
  type: z.literal(EXPORT_TYPE),
  version: z.literal(EXPORT_VERSION),
  key_id: z.string(),
  public_key: z.string(),
});
const CheckpointLine = z.object({
  type: z.literal("checkpoint"),
  seq: z.number().int(),
  hash: z.string(),
  created_at: z.string(),
  key_id: z.string(),
  signature: z.string(),
});
const EventLine = z.object({
  type: z.literal("event"),
  seq: z.number().int(),
  occurred_at: z.string(),
  actor_id: z.string().nullable(),
  actor_email: z.string().nullable(),
  action: z.string(),
  entity_type: z.string(),
  entity_id: z.string(),
  data: z.unknown(),
  prev_hash: z.string(),
  hash: z.string(),
});

/**
 * Verifies an exported file line by line against the public key the verifier trusts (never the one
 * the file carries, which whoever wrote the file chose). Feed it every line, then ask finish().
 */
export class ExportFileCheck {
  private lineNo = 0;
  private header = false;
  private events = 0;
  private readonly checkpoints: AuditCheckpoint[] = [];
  private walk: ChainWalk | null = null;
  private walkIntact = true;
  private problem: string | null = null;

  constructor(private readonly key: VerifyingKey) {}

  /** False once the verdict is known to be a failure. */
  line(text: string): boolean {
    if (this.problem || (this.walk && !this.walkIntact)) return false;
    this.lineNo++;
    if (text.trim() === "") return true;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.fail("is not JSON");
    }
    if (!this.header) {
      const header = Header.safeParse(value);
      if (!header.success) return this.fail(`is not a ${EXPORT_TYPE} v${EXPORT_VERSION} header`);
      if (header.data.key_id !== this.key.keyId) {
        return this.fail(
          `says the file was signed with key ${header.data.key_id.slice(0, 16)}…, not the given public key ${this.key.keyId.slice(0, 16)}…`,
        );
      }
      this.header = true;
      return true;
    }
    const type = (value as { type?: unknown } | null)?.type;
    if (type === "checkpoint") {
      if (this.walk) return this.fail("is a checkpoint after the events (checkpoints come first)");
      const c = CheckpointLine.safeParse(value);
      if (!c.success) return this.fail("is not a well-formed checkpoint");
      const { seq, hash, created_at: createdAt, key_id: keyId, signature } = c.data;
      this.checkpoints.push({ seq, hash, createdAt, keyId, signature });
      return true;
    }
    if (type === "event") {
      const e = EventLine.safeParse(value);
      if (!e.success) return this.fail("is not a well-formed event");
      this.walk ??= new ChainWalk(this.checkpoints, this.key);
      this.walkIntact = this.walk.add({
        seq: e.data.seq,
        occurredAt: e.data.occurred_at,
        actorId: e.data.actor_id,
        actorEmail: e.data.actor_email,
        action: e.data.action,
        entityType: e.data.entity_type,
        entityId: e.data.entity_id,
        data: e.data.data,
        prevHash: e.data.prev_hash,
        hash: e.data.hash,
      });
      if (this.walkIntact) this.events++;
      return this.walkIntact;
    }
    return this.fail(`has an unknown type ${JSON.stringify(type)}`);
  }

  finish(): VerifyResult {
    if (!this.problem && !this.header) this.problem = "the file is empty: no export header";
    if (this.problem) return { ok: false, events: this.events, firstBad: { seq: null, reason: this.problem } };
    return (this.walk ?? new ChainWalk(this.checkpoints, this.key)).finish();
  }

  private fail(reason: string): false {
    this.problem = `line ${this.lineNo} ${reason}`;
    return false;
  }
}

/**
 * The checkpoints an export carries, without reading its events: checkpoints kept outside the
 * database (an export filed elsewhere) still anchor it after someone deleted rows from
 * audit_checkpoints. Their signatures are checked where they are used, against the trusted key.
 */
export async function exportedCheckpoints(
  lines: AsyncIterable<string> | Iterable<string>,
): Promise<{ checkpoints: AuditCheckpoint[] } | { problem: string }> {
  const checkpoints: AuditCheckpoint[] = [];
  let lineNo = 0;
  for await (const text of lines) {
    lineNo++;
    if (text.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { problem: `line ${lineNo} is not JSON` };
    }
    if (lineNo === 1) {
      if (!Header.safeParse(value).success)
        return { problem: `line 1 is not a ${EXPORT_TYPE} v${EXPORT_VERSION} header` };
      continue;
    }
    if ((value as { type?: unknown } | null)?.type !== "checkpoint") break; // the events have begun
    const c = CheckpointLine.safeParse(value);
    if (!c.success) return { problem: `line ${lineNo} is not a well-formed checkpoint` };
    const { seq, hash, created_at: createdAt, key_id: keyId, signature } = c.data;
    checkpoints.push({ seq, hash, createdAt, keyId, signature });
  }
  if (lineNo === 0) return { problem: "the file is empty: no export header" };
  return { checkpoints };
}
