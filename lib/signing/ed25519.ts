import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from "node:crypto";

// Greenlight's one signing key, as plain values: no file, no database. Audit checkpoints use it now;
// deployment receipts (DSSE) will use the same key and the same key id, so a verifier holds one
// public key for everything Greenlight signs.

/** What checks a signature: the public key, its PEM (to hand to a verifier) and its id. */
export type VerifyingKey = { publicKey: KeyObject; publicKeyPem: string; keyId: string };
/** The private key that signs, with everything a verifier needs. */
export type SigningKey = VerifyingKey & { privateKey: KeyObject };

/** The key id: SHA-256 of the public key's SubjectPublicKeyInfo (DER), hex. Stable across PEM formatting. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex");
}

/** A new Ed25519 private key as PKCS#8 PEM. */
export function generatePrivateKeyPem(): string {
  return generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}

function verifyingKeyOf(publicKey: KeyObject): VerifyingKey {
  return {
    publicKey,
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

/** Reads a PKCS#8 PEM private key; anything but Ed25519 is refused, so a wrong file fails loudly. */
export function signingKeyFromPem(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== "ed25519") {
    throw new Error(`the signing key must be Ed25519, not ${privateKey.asymmetricKeyType ?? "unknown"}`);
  }
  return { privateKey, ...verifyingKeyOf(createPublicKey(privateKey)) };
}

/** Reads an SPKI PEM public key (a private key PEM is accepted too; only its public half is kept). */
export function verifyingKeyFromPem(pem: string): VerifyingKey {
  const publicKey = createPublicKey(pem);
  if (publicKey.asymmetricKeyType !== "ed25519") {
    throw new Error(`the public key must be Ed25519, not ${publicKey.asymmetricKeyType ?? "unknown"}`);
  }
  return verifyingKeyOf(publicKey);
}

/** An Ed25519 signature over exactly these bytes, base64. */
export function signBytes(key: SigningKey, message: Uint8Array): string {
  return sign(null, message, key.privateKey).toString("base64");
}

/** Whether `signature` (base64) is this key's signature over these bytes; malformed input is simply false. */
export function verifySignature(key: VerifyingKey, message: Uint8Array, signature: string): boolean {
  if (!/^[A-Za-z0-9+/]{86}==$/.test(signature)) return false; // 64 bytes, canonical base64
  try {
    return verify(null, message, key.publicKey, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}
