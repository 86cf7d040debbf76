import { signBytes, verifySignature, type SigningKey, type VerifyingKey } from "../signing/ed25519";

// A checkpoint is the chain's head (seq, hash) at a moment, signed with the installation's key, so
// a verifier can tell that the chain once reached that event with that hash (ADR 0009).

export const CHECKPOINT_CONTEXT = "greenlight-audit-checkpoint/v1";

/** The head a checkpoint vouches for; createdAt is ISO-8601 UTC with milliseconds (Date#toISOString). */
export type CheckpointHead = { seq: number; hash: string; createdAt: string };
export type AuditCheckpoint = CheckpointHead & { keyId: string; signature: string };

const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The exact bytes signed: UTF-8 of "greenlight-audit-checkpoint/v1\n<seq>\n<hash>\n<createdAt>", with
 * seq in decimal, hash in lowercase hex and no trailing newline. The context line keeps a signature
 * over a checkpoint from passing for one over anything else the same key signs. Throws on a head that
 * has no single spelling, so two parties can never disagree about what was signed.
 */
export function checkpointMessage(head: CheckpointHead): Uint8Array {
  if (!Number.isSafeInteger(head.seq) || head.seq < 1) throw new Error(`not an event sequence number: ${head.seq}`);
  if (!SHA256_HEX.test(head.hash)) throw new Error("not a SHA-256 hash in lowercase hex");
  if (!ISO_UTC_MS.test(head.createdAt) || new Date(head.createdAt).toISOString() !== head.createdAt) {
    throw new Error(`not an ISO-8601 UTC time with milliseconds: ${head.createdAt}`);
  }
  return new TextEncoder().encode(`${CHECKPOINT_CONTEXT}\n${head.seq}\n${head.hash}\n${head.createdAt}`);
}

export function signCheckpoint(key: SigningKey, head: CheckpointHead): AuditCheckpoint {
  const { seq, hash, createdAt } = head;
  return { seq, hash, createdAt, keyId: key.keyId, signature: signBytes(key, checkpointMessage(head)) };
}

/**
 * Null when a trusted key signed this checkpoint as it stands; else why it cannot be trusted. Several
 * keys are trusted after a key rotation (`receipt rotate-key`): the current one and the retired ones.
 */
export function checkpointSignatureProblem(
  checkpoint: AuditCheckpoint,
  trusted: VerifyingKey | readonly VerifyingKey[],
): string | null {
  const keys: readonly VerifyingKey[] = Array.isArray(trusted) ? trusted : [trusted as VerifyingKey];
  const key = keys.find((k) => k.keyId === checkpoint.keyId) ?? keys[0]!;
  if (checkpoint.keyId !== key.keyId) {
    return `it names signing key ${checkpoint.keyId.slice(0, 16)}…, not the trusted key ${key.keyId.slice(0, 16)}…`;
  }
  let message: Uint8Array;
  try {
    message = checkpointMessage(checkpoint);
  } catch (error) {
    return `it is malformed (${(error as Error).message})`;
  }
  return verifySignature(key, message, checkpoint.signature)
    ? null
    : "its signature does not verify (forged, or altered after signing)";
}
