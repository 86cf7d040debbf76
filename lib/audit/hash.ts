import { createHash } from "node:crypto";

// The first event's predecessor.
export const GENESIS_HASH = "0".repeat(64);

export type AuditContent = {
  seq: number;
  occurredAt: string; // ISO-8601, millisecond precision
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string;
  data: unknown;
  prevHash: string;
};

/** JSON with object keys sorted at every depth, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function auditHash(c: AuditContent): string {
  // Pick the fields by name: a row object carries more (its own hash) that must not be hashed.
  const content: AuditContent = {
    seq: c.seq,
    occurredAt: c.occurredAt,
    actorId: c.actorId,
    actorEmail: c.actorEmail,
    action: c.action,
    entityType: c.entityType,
    entityId: c.entityId,
    data: c.data,
    prevHash: c.prevHash,
  };
  return createHash("sha256").update(canonicalJson(content)).digest("hex");
}

/** What a stored row must look like; null when it is intact, else why not. */
export function checkLink(
  row: AuditContent & { hash: string },
  expected: { seq: number; prevHash: string },
): string | null {
  if (row.seq !== expected.seq) return `sequence gap: expected ${expected.seq}, found ${row.seq}`;
  if (row.prevHash !== expected.prevHash) return "prev_hash does not match the hash of the event before it";
  if (auditHash(row) !== row.hash) return "hash does not match the row's content (the row was changed)";
  return null;
}
