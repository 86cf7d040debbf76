import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

// in_progress: claimed, nothing committed yet (a retry is told 409; a claim left this way by a
// crashed server is taken over after its lease). committed: the verb committed together with this
// state, the answer is not stored yet. done: the answer is stored and is what a retry gets.
export const IDEMPOTENCY_STATES = ["in_progress", "committed", "done"] as const;
export const idempotencyStateEnum = pgEnum("idempotency_state", IDEMPOTENCY_STATES);

/**
 * One Idempotency-Key per caller (draft-ietf-httpapi-idempotency-key-header): the request it was
 * first used with and the answer that request got, replayed to a retry until it expires
 * (docs/adr/0010). No foreign key on the caller: a row outlives nothing it needs and expires anyway.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Who used the key: "token:<api token id>" or "user:<user id>" (the browser session).
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    // The request's fingerprint: a retry must match all three, or it is a 422.
    method: text("method").notNull(),
    path: text("path").notNull(),
    bodySha256: text("body_sha256").notNull(),
    state: idempotencyStateEnum("state").notNull().default("in_progress"),
    // Changes when a stale claim is taken over, so the old holder can no longer commit under it.
    claimToken: uuid("claim_token").notNull(),
    claimedAt: timestamp("claimed_at", { mode: "date", withTimezone: true }).notNull(),
    responseStatus: integer("response_status"),
    responseHeaders: jsonb("response_headers").$type<Record<string, string>>(),
    responseBody: text("response_body"),
    createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { mode: "date", withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("idempotency_keys_scope_key_idx").on(t.scope, t.key),
    index("idempotency_keys_expires_idx").on(t.expiresAt),
  ],
);
export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect;
