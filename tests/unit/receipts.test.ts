import { createPublicKey, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { jwkOf, keysFromJwks, pae, signEnvelope, verifyEnvelope } from "../../lib/signing/dsse";
import { generatePrivateKeyPem, signingKeyFromPem } from "../../lib/signing/ed25519";
import { checkpointSignatureProblem, signCheckpoint } from "../../lib/audit/checkpoint";
import {
  checkReceipt,
  IN_TOTO_PAYLOAD_TYPE,
  receiptStatement,
  statementBytes,
  type ReceiptPredicate,
} from "../../lib/requests/receipt-statement";

const key = signingKeyFromPem(generatePrivateKeyPem());
const other = signingKeyFromPem(generatePrivateKeyPem());
const DIGEST = `sha256:${"ab".repeat(32)}`;
const NOW = new Date("2031-01-01T00:00:00.000Z");

function predicate(expiresAt: string | null = "2031-02-01T00:00:00.000Z"): ReceiptPredicate {
  return {
    request: {
      number: "CR-1001",
      revision: 2,
      title: "Ship",
      kind: "deployment",
      environment: "production",
      emergency: false,
    },
    model: {
      name: "fraud-detector",
      version: "v3",
      gitCommit: null,
      trainingRunId: null,
      dataset: { name: "tx", version: "1" },
    },
    decisions: [],
    autoPassed: [],
    policies: [],
    costBenefit: null,
    dependencyReview: null,
    issuer: "http://localhost:3000",
    issuedAt: NOW.toISOString(),
    expiresAt,
  };
}
const receipt = (p = predicate()) =>
  signEnvelope(key, IN_TOTO_PAYLOAD_TYPE, statementBytes(receiptStatement(DIGEST, p)));

describe("DSSE", () => {
  it("PAE is the spec's bytes: DSSEv1 SP LEN(type) SP type SP LEN(body) SP body", () => {
    // The worked example of the DSSE protocol (protocol.md, "Test vectors").
    expect(Buffer.from(pae("http://example.com/HelloWorld", Buffer.from("hello world"))).toString()).toBe(
      "DSSEv1 29 http://example.com/HelloWorld 11 hello world",
    );
    // LEN counts bytes, not characters.
    expect(Buffer.from(pae("t", Buffer.from("é"))).toString()).toBe("DSSEv1 1 t 2 é");
    expect(Buffer.from(pae("", new Uint8Array())).toString()).toBe("DSSEv1 0  0 ");
  });

  it("an envelope is {payloadType, payload (base64), signatures: [{keyid, sig}]}, the sig over PAE", () => {
    const envelope = signEnvelope(key, "application/x-test", Buffer.from("{}"));
    expect(Object.keys(envelope).sort()).toEqual(["payload", "payloadType", "signatures"]);
    expect(envelope).toMatchObject({ payloadType: "application/x-test", payload: "e30=" });
    expect(envelope.signatures).toEqual([{ keyid: key.keyId, sig: expect.stringMatching(/^[A-Za-z0-9+/]{86}==$/) }]);
    const sig = Buffer.from(envelope.signatures[0]!.sig, "base64");
    expect(verify(null, pae("application/x-test", Buffer.from("{}")), key.publicKey, sig)).toBe(true);
  });

  it("verifies with the right key only; a changed type, payload or signature is refused", () => {
    const envelope = signEnvelope(key, "application/x-test", Buffer.from("payload"));
    expect(verifyEnvelope(envelope, [other, key])).toMatchObject({ ok: true, keyId: key.keyId });
    expect(verifyEnvelope(envelope, [other])).toMatchObject({ ok: false });
    expect(verifyEnvelope({ ...envelope, payloadType: "application/x-other" }, [key])).toMatchObject({ ok: false });
    expect(verifyEnvelope({ ...envelope, payload: Buffer.from("payloaD").toString("base64") }, [key])).toMatchObject({
      ok: false,
    });
    const sig = Buffer.from(envelope.signatures[0]!.sig, "base64");
    sig[0] = sig[0]! ^ 1;
    expect(
      verifyEnvelope({ ...envelope, signatures: [{ keyid: key.keyId, sig: sig.toString("base64") }] }, [key]),
    ).toMatchObject({
      ok: false,
    });
    // The keyid is a hint, never trusted: a lying keyid still finds the right key, and names none it holds.
    expect(
      verifyEnvelope({ ...envelope, signatures: [{ keyid: "x", sig: envelope.signatures[0]!.sig }] }, [key]),
    ).toMatchObject({
      ok: true,
    });
    expect(verifyEnvelope({ payload: "x" }, [key])).toMatchObject({ ok: false });
  });

  it("JWKS: RFC 8037 OKP keys; the key id is recomputed from the key, never taken from the file", () => {
    const jwk = jwkOf(key);
    expect(jwk).toEqual({
      kty: "OKP",
      crv: "Ed25519",
      x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      kid: key.keyId,
      alg: "EdDSA",
      use: "sig",
    });
    expect(createPublicKey({ key: jwk, format: "jwk" }).equals(key.publicKey)).toBe(true);
    const [read] = keysFromJwks({ keys: [{ ...jwk, kid: other.keyId }, { kty: "RSA" }] });
    expect(read!.keyId).toBe(key.keyId);
    expect(() => keysFromJwks([])).toThrow(/JWKS/);
  });
});

describe("approval receipts", () => {
  it("an in-toto Statement v1 whose subject is the model version and its sha256", () => {
    const statement = receiptStatement(DIGEST, predicate());
    expect(statement).toMatchObject({
      _type: "https://in-toto.io/Statement/v1",
      subject: [{ name: "fraud-detector@v3", digest: { sha256: "ab".repeat(32) } }],
      predicateType: "https://greenlight.dev/approval-receipt/v1",
    });
    expect(() => receiptStatement("sha256:ABC", predicate())).toThrow();
  });

  it("checkReceipt: good; wrong digest, expired, wrong key, wrong payload type refused", () => {
    expect(checkReceipt(receipt(), [key], { digest: DIGEST, now: NOW })).toMatchObject({ ok: true, digest: DIGEST });
    expect(checkReceipt(receipt(), [key], { now: NOW })).toMatchObject({ ok: true });
    const wrong = `sha256:${"cd".repeat(32)}`;
    expect(checkReceipt(receipt(), [key], { digest: wrong, now: NOW })).toEqual({
      ok: false,
      problem: `the receipt approves ${DIGEST}, not ${wrong}`,
    });
    expect(checkReceipt(receipt(), [key], { now: new Date("2031-03-01T00:00:00Z") })).toMatchObject({
      ok: false,
      problem: expect.stringContaining("expired"),
    });
    expect(checkReceipt(receipt(predicate(null)), [key], { now: new Date("2099-01-01T00:00:00Z") })).toMatchObject({
      ok: true,
    });
    expect(checkReceipt(receipt(), [other], { now: NOW })).toMatchObject({ ok: false });
    const plain = signEnvelope(key, "application/json", statementBytes(receiptStatement(DIGEST, predicate())));
    expect(checkReceipt(plain, [key], { now: NOW })).toMatchObject({
      ok: false,
      problem: expect.stringContaining("payload type"),
    });
  });

  it("audit checkpoints trust every key given: the current one and the retired ones", () => {
    const checkpoint = signCheckpoint(other, { seq: 1, hash: "0".repeat(64), createdAt: NOW.toISOString() });
    expect(checkpointSignatureProblem(checkpoint, [key, other])).toBeNull();
    expect(checkpointSignatureProblem(checkpoint, [key])).toMatch(/names signing key/);
  });
});
