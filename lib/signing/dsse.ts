import { createPublicKey } from "node:crypto";
import { keyIdOf, signBytes, verifySignature, type SigningKey, type VerifyingKey } from "./ed25519";

// DSSE (github.com/secure-systems-lab/dsse, protocol v1): the signature covers the payload type and
// the payload bytes through PAE, never re-serialised JSON, so what is verified is exactly what was
// signed. Keys are published as a JWKS of Ed25519 OKP keys (RFC 8037).

export type DsseSignature = { keyid: string; sig: string };
export type DsseEnvelope = { payloadType: string; payload: string; signatures: DsseSignature[] };

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body; LEN is the byte length in decimal. */
export function pae(payloadType: string, body: Uint8Array): Uint8Array {
  const type = Buffer.from(payloadType, "utf8");
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, "utf8"),
    type,
    Buffer.from(` ${body.length} `, "utf8"),
    body,
  ]);
}

/** An envelope with one Ed25519 signature; the payload is standard base64. */
export function signEnvelope(key: SigningKey, payloadType: string, body: Uint8Array): DsseEnvelope {
  return {
    payloadType,
    payload: Buffer.from(body).toString("base64"),
    signatures: [{ keyid: key.keyId, sig: signBytes(key, pae(payloadType, body)) }],
  };
}

export type EnvelopeCheck = { ok: true; body: Buffer; keyId: string } | { ok: false; problem: string };

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * Checks an envelope's signatures against trusted keys: it passes when one signature verifies under
 * one of them. The keyid only narrows which key to try (the DSSE spec forbids trusting it), so every
 * key is tried when it names none we hold.
 */
export function verifyEnvelope(envelope: unknown, trusted: readonly VerifyingKey[]): EnvelopeCheck {
  if (!isEnvelope(envelope)) return { ok: false, problem: "not a DSSE envelope (payloadType, payload, signatures)" };
  if (!BASE64.test(envelope.payload)) return { ok: false, problem: "the payload is not base64" };
  if (!trusted.length) return { ok: false, problem: "no trusted public key to check it with" };
  const body = Buffer.from(envelope.payload.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  const message = pae(envelope.payloadType, body);
  for (const signature of envelope.signatures) {
    const named = trusted.filter((k) => k.keyId === signature.keyid);
    for (const key of named.length ? named : trusted) {
      if (verifySignature(key, message, signature.sig)) return { ok: true, body, keyId: key.keyId };
    }
  }
  return { ok: false, problem: "no signature verifies with a trusted key (altered, or signed by another key)" };
}

function isEnvelope(value: unknown): value is DsseEnvelope {
  if (!value || typeof value !== "object") return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e.payloadType === "string" &&
    typeof e.payload === "string" &&
    Array.isArray(e.signatures) &&
    e.signatures.every(
      (s) =>
        s &&
        typeof s === "object" &&
        typeof (s as Record<string, unknown>).sig === "string" &&
        ["string", "undefined"].includes(typeof (s as Record<string, unknown>).keyid),
    )
  );
}

/** An Ed25519 public key as a JWK (RFC 8037 OKP), with the installation's key id. */
export type Ed25519Jwk = { kty: "OKP"; crv: "Ed25519"; x: string; kid: string; alg: "EdDSA"; use: "sig" };

export function jwkOf(key: VerifyingKey): Ed25519Jwk {
  const { x } = key.publicKey.export({ format: "jwk" });
  return { kty: "OKP", crv: "Ed25519", x: x!, kid: key.keyId, alg: "EdDSA", use: "sig" };
}

/** The keys of a JWKS document ({"keys": [...]}); anything that is not an Ed25519 OKP key is skipped. */
export function keysFromJwks(document: unknown): VerifyingKey[] {
  const keys = (document as { keys?: unknown })?.keys;
  if (!Array.isArray(keys)) throw new Error('not a JWKS document: expected {"keys": [...]}');
  return keys.flatMap((jwk: Record<string, unknown>) => {
    if (jwk?.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string") return [];
    const publicKey = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: jwk.x }, format: "jwk" });
    return [
      {
        publicKey,
        publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
        // The id is recomputed from the key itself, so a JWKS cannot pass one key off under another's id.
        keyId: keyIdOf(publicKey),
      },
    ];
  });
}
