import "server-only";
import { asc, eq, isNull } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { signingKeys } from "@/db/schema";
import { jwkOf } from "./dsse";
import { verifyingKeyFromPem, type VerifyingKey } from "./ed25519";

/** Publishes a key the first time it signs; a key already listed (retired or not) is left as it is. */
export async function publishKey(tx: Db | Tx, key: VerifyingKey, now: Date): Promise<void> {
  await tx
    .insert(signingKeys)
    .values({ keyId: key.keyId, publicKeyPem: key.publicKeyPem, createdAt: now })
    .onConflictDoNothing();
}

/** Marks every published key but `current` retired: it verifies what it signed and signs nothing new. */
export async function retireKeysExcept(tx: Db | Tx, current: VerifyingKey, now: Date): Promise<void> {
  const live = await tx.select({ keyId: signingKeys.keyId }).from(signingKeys).where(isNull(signingKeys.retiredAt));
  for (const row of live.filter((r) => r.keyId !== current.keyId)) {
    await tx.update(signingKeys).set({ retiredAt: now }).where(eq(signingKeys.keyId, row.keyId));
  }
}

/** Every key ever published, oldest first, with when it was retired. */
export async function publishedKeys(db: Db | Tx) {
  const rows = await db.select().from(signingKeys).orderBy(asc(signingKeys.createdAt), asc(signingKeys.keyId));
  return rows.map((row) => ({
    ...verifyingKeyFromPem(row.publicKeyPem),
    createdAt: row.createdAt,
    retiredAt: row.retiredAt,
  }));
}

/** The JWKS (RFC 7517 set of RFC 8037 keys) CI fetches once and verifies receipts with offline. */
export async function receiptJwks(db: Db | Tx) {
  return { keys: (await publishedKeys(db)).map(jwkOf) };
}
