import { bigint, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// Append-only and hash-chained. No foreign keys on purpose: history outlives its subjects.
// A trigger (migration 0001) refuses UPDATE, DELETE and TRUNCATE.
export const auditEvents = pgTable(
  "audit_events",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey(),
    occurredAt: timestamp("occurred_at", { mode: "date", withTimezone: true }).notNull(),
    actorId: text("actor_id"),
    actorEmail: text("actor_email"),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    // Unique: two events can never claim the same predecessor, so the chain cannot fork.
    prevHash: text("prev_hash").notNull().unique(),
    hash: text("hash").notNull().unique(),
  },
  (t) => [
    index("audit_events_entity_idx").on(t.entityType, t.entityId),
    index("audit_events_actor_idx").on(t.actorId),
    index("audit_events_occurred_idx").on(t.occurredAt),
  ],
);
export type AuditEvent = typeof auditEvents.$inferSelect;

// Signed heads of the chain (ADR 0009). seq is the key: one checkpoint per head, so two sweeps at
// once cannot both sign it. No foreign key to audit_events on purpose: a checkpoint must outlive the
// events it covers, or deleting them would delete the evidence of the deletion.
export const auditCheckpoints = pgTable("audit_checkpoints", {
  seq: bigint("seq", { mode: "number" }).primaryKey(),
  hash: text("hash").notNull(),
  createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull(),
  keyId: text("key_id").notNull(),
  signature: text("signature").notNull(),
});
export type AuditCheckpointRow = typeof auditCheckpoints.$inferSelect;
