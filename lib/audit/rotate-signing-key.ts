import "server-only";
import type { Db } from "@/db";
import type { Actor } from "../auth/actor";
import { loadSigningKey, rotateSigningKeyFile } from "../signing/key-file";
import { publishKey, retireKeysExcept } from "../signing/published-keys";
import { inUnitOfWork } from "../verb";
import { recordAudit } from "./record";

/**
 * `receipt rotate-key`: a new key file replaces the old one, whose public half stays published (in
 * the JWKS, and in the retired folder beside the key file), so the receipts and audit checkpoints it
 * signed still verify. The file is swapped before the database is told: if the transaction then
 * fails, the next signature publishes the new key anyway, and the old one is already on record.
 */
export async function rotateSigningKey(db: Db, actor: Actor, now = new Date(), file?: string) {
  const before = loadSigningKey(file);
  await publishKey(db, before, now);
  const { retired, current } = rotateSigningKeyFile(file);
  await inUnitOfWork(
    db,
    async ({ tx }) => {
      await publishKey(tx, current, now);
      await retireKeysExcept(tx, current, now);
      await recordAudit(
        tx,
        actor,
        {
          action: "signing_key.rotated",
          entityType: "signing_key",
          entityId: current.keyId,
          data: { retired: retired.keyId, current: current.keyId },
        },
        now,
      );
    },
    { now },
  );
  return { retired, current };
}
