import { index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { changeRequests } from "./requests";

// Every public key that has ever signed for this installation, published as a JWKS so CI can verify
// receipts offline. Rows are added when a key first signs and are never deleted: a retired key still
// verifies what it signed. The private keys stay in files (SIGNING_KEY_FILE), never here.
export const signingKeys = pgTable("signing_keys", {
  // SHA-256 of the SubjectPublicKeyInfo (DER), hex: the id audit checkpoints already use.
  keyId: text("key_id").primaryKey(),
  publicKeyPem: text("public_key_pem").notNull(),
  createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp("retired_at", { mode: "date", withTimezone: true }),
});
export type SigningKeyRow = typeof signingKeys.$inferSelect;

/** A signed approval receipt: a DSSE envelope around an in-toto Statement, one per approved revision. */
export type DsseEnvelope = { payloadType: string; payload: string; signatures: { keyid: string; sig: string }[] };

export const receipts = pgTable(
  "receipts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => changeRequests.id),
    revision: integer("revision").notNull(),
    // "sha256:<hex>", the subject's digest, kept beside the envelope for the revocation list.
    artifactDigest: text("artifact_digest").notNull(),
    envelope: jsonb("envelope").$type<DsseEnvelope>().notNull(),
    keyId: text("key_id")
      .notNull()
      .references(() => signingKeys.keyId),
    expiresAt: timestamp("expires_at", { mode: "date", withTimezone: true }),
    createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { mode: "date", withTimezone: true }),
    revokedReason: text("revoked_reason"),
  },
  (t) => [
    // One receipt per approved revision: a second approval of the same revision cannot sign twice.
    unique("receipts_request_revision_key").on(t.requestId, t.revision),
    index("receipts_revoked_idx").on(t.revokedAt),
  ],
);
export type Receipt = typeof receipts.$inferSelect;
