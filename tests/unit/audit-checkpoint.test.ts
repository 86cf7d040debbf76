import { describe, expect, it } from "vitest";
import { ChainWalk } from "../../lib/audit/chain-walk";
import { checkpointMessage, checkpointSignatureProblem, signCheckpoint } from "../../lib/audit/checkpoint";
import {
  checkpointLine,
  eventLine,
  exportedCheckpoints,
  exportHeaderLine,
  ExportFileCheck,
} from "../../lib/audit/export-file";
import { auditHash, GENESIS_HASH, type AuditContent } from "../../lib/audit/hash";
import {
  generatePrivateKeyPem,
  keyIdOf,
  signBytes,
  signingKeyFromPem,
  verifyingKeyFromPem,
  verifySignature,
} from "../../lib/signing/ed25519";

const key = signingKeyFromPem(generatePrivateKeyPem());
const otherKey = signingKeyFromPem(generatePrivateKeyPem());
const at = "2026-12-02T01:00:00.000Z";

/** A valid chain of n events, with data the caller may vary per seq. */
function chain(n: number, data: (seq: number) => unknown = (seq) => ({ seq })) {
  const events: (AuditContent & { hash: string })[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content: AuditContent = {
      seq,
      occurredAt: `2026-12-01T00:00:${String(seq % 60).padStart(2, "0")}.000Z`,
      actorId: null,
      actorEmail: "system:test",
      action: "team.created",
      entityType: "team",
      entityId: `t${seq}`,
      data: data(seq),
      prevHash,
    };
    const hash = auditHash(content);
    events.push({ ...content, hash });
    prevHash = hash;
  }
  return events;
}

function walk(events: ReturnType<typeof chain>, checkpoints: ReturnType<typeof signCheckpoint>[]) {
  const w = new ChainWalk(checkpoints, key);
  for (const e of events) if (!w.add(e)) break;
  return w.finish();
}

describe("signing key", () => {
  it("signs and verifies; the key id is the SHA-256 of the public key's SPKI DER and survives a PEM round trip", () => {
    expect(key.keyId).toMatch(/^[0-9a-f]{64}$/);
    expect(keyIdOf(key.publicKey)).toBe(key.keyId);
    const publicOnly = verifyingKeyFromPem(key.publicKeyPem);
    expect(publicOnly.keyId).toBe(key.keyId);
    const message = new TextEncoder().encode("hello");
    const signature = signBytes(key, message);
    expect(verifySignature(publicOnly, message, signature)).toBe(true);
    expect(verifySignature(publicOnly, new TextEncoder().encode("hellO"), signature)).toBe(false);
    expect(verifySignature(verifyingKeyFromPem(otherKey.publicKeyPem), message, signature)).toBe(false);
    expect(verifySignature(publicOnly, message, "not base64!")).toBe(false);
  });

  it("refuses a key that is not Ed25519", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
    expect(() => signingKeyFromPem(rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString())).toThrow(
      /must be Ed25519, not rsa/,
    );
  });
});

describe("audit checkpoints", () => {
  const head = { seq: 42, hash: "ab".repeat(32), createdAt: at };

  it("signs one canonical byte string: context, seq, hash and time on their own lines", () => {
    expect(new TextDecoder().decode(checkpointMessage(head))).toBe(
      `greenlight-audit-checkpoint/v1\n42\n${"ab".repeat(32)}\n2026-12-02T01:00:00.000Z`,
    );
    for (const bad of [
      { ...head, seq: 0 },
      { ...head, seq: 1.5 },
      { ...head, hash: "AB".repeat(32) },
      { ...head, createdAt: "2026-12-02T01:00:00Z" },
      { ...head, createdAt: "2026-12-02T01:00:00.000+00:00" },
    ]) {
      expect(() => checkpointMessage(bad), JSON.stringify(bad)).toThrow();
    }
  });

  it("a checkpoint verifies with its key, and not once any field or the key changes", () => {
    const checkpoint = signCheckpoint(key, head);
    expect(checkpoint.keyId).toBe(key.keyId);
    expect(checkpointSignatureProblem(checkpoint, key)).toBeNull();
    expect(checkpointSignatureProblem({ ...checkpoint, seq: 43 }, key)).toMatch(/does not verify/);
    expect(checkpointSignatureProblem({ ...checkpoint, hash: "cd".repeat(32) }, key)).toMatch(/does not verify/);
    expect(checkpointSignatureProblem({ ...checkpoint, createdAt: "2026-12-02T01:00:00.001Z" }, key)).toMatch(
      /does not verify/,
    );
    expect(checkpointSignatureProblem(checkpoint, otherKey)).toMatch(/not the trusted key/);
    expect(checkpointSignatureProblem({ ...checkpoint, keyId: otherKey.keyId }, otherKey)).toMatch(/does not verify/);
    expect(checkpointSignatureProblem({ ...checkpoint, createdAt: "yesterday" }, key)).toMatch(/malformed/);
  });
});

describe("chain walk against checkpoints", () => {
  const events = chain(10);
  const at4 = signCheckpoint(key, { seq: 4, hash: events[3]!.hash, createdAt: at });
  const at8 = signCheckpoint(key, { seq: 8, hash: events[7]!.hash, createdAt: at });

  it("an intact chain passes and reports its newest checkpoint", () => {
    expect(walk(events, [at8, at4])).toEqual({
      ok: true,
      events: 10,
      headHash: events[9]!.hash,
      checkpoints: 2,
      lastCheckpoint: { seq: 8, createdAt: at },
    });
  });

  it("a deleted tail: the chain stops short of the last checkpoint", () => {
    expect(walk(events.slice(0, 6), [at4, at8])).toEqual({
      ok: false,
      events: 6,
      firstBad: {
        seq: 7,
        reason: expect.stringMatching(/chain ends at event #6.*events #7 to #8 \(at least\) were deleted/),
      },
    });
    expect(walk([], [at4])).toMatchObject({ ok: false, firstBad: { seq: 1, reason: /chain is empty/ } });
  });

  it("a suffix rewritten with recomputed hashes: the checkpointed event's hash no longer matches", () => {
    const rewritten = chain(10, (seq) => (seq >= 6 ? { seq, forged: true } : { seq }));
    expect(walk(rewritten, [at4, at8])).toEqual({
      ok: false,
      events: 7,
      firstBad: {
        seq: 8,
        reason: expect.stringMatching(
          /differs from the one signed in .*events after event #4 .* up to #8 were rewritten/,
        ),
      },
    });
  });

  it("a forged checkpoint is named, wherever it points", () => {
    const forged = { ...at8, hash: events[8]!.hash, seq: 9 };
    expect(walk(events, [at4, forged])).toMatchObject({
      ok: false,
      firstBad: { seq: 9, reason: expect.stringMatching(/cannot be trusted: its signature does not verify/) },
    });
    const beyond = { ...at8, seq: 99 };
    expect(walk(events, [beyond])).toMatchObject({ ok: false, firstBad: { seq: 99, reason: /cannot be trusted/ } });
  });

  it("an event edited without recomputing is still named as changed, before any checkpoint", () => {
    const edited = events.map((e) => (e.seq === 3 ? { ...e, data: { seq: 99 } } : e));
    expect(walk(edited, [at4, at8])).toMatchObject({ ok: false, events: 2, firstBad: { seq: 3, reason: /changed/ } });
  });
});

describe("the verifiable export file", () => {
  const events = chain(6);
  const checkpoint = signCheckpoint(key, { seq: 5, hash: events[4]!.hash, createdAt: at });
  const lines = [exportHeaderLine(key, new Date(at)), checkpointLine(checkpoint), ...events.map(eventLine)];
  const check = (text: string[], trusted = verifyingKeyFromPem(key.publicKeyPem)) => {
    const c = new ExportFileCheck(trusted);
    for (const l of text) if (!c.line(l)) break;
    return c.finish();
  };

  it("verifies with the public key alone", () => {
    expect(check([...lines, ""])).toMatchObject({ ok: true, events: 6, checkpoints: 1 });
  });

  it("names a file signed with another key, a tampered event, a cut tail and a misplaced checkpoint", () => {
    expect(check(lines, verifyingKeyFromPem(otherKey.publicKeyPem))).toMatchObject({
      ok: false,
      firstBad: { seq: null, reason: /line 1 says the file was signed with key .*not the given public key/ },
    });
    const tampered = lines.map((l) => l.replace('"entity_id":"t2"', '"entity_id":"t2-edited"'));
    expect(check(tampered)).toMatchObject({ ok: false, events: 1, firstBad: { seq: 2, reason: /changed/ } });
    expect(check(lines.slice(0, 5))).toMatchObject({ ok: false, firstBad: { seq: 4, reason: /deleted/ } });
    expect(check([lines[0]!, ...lines.slice(2), lines[1]!])).toMatchObject({
      ok: false,
      firstBad: { seq: null, reason: /line 9 is a checkpoint after the events/ },
    });
    expect(check([])).toMatchObject({ ok: false, firstBad: { reason: /empty/ } });
    expect(check([lines[0]!, "{oops"])).toMatchObject({ ok: false, firstBad: { reason: /line 2 is not JSON/ } });
  });

  it("its checkpoints can be read on their own, without the events", async () => {
    expect(await exportedCheckpoints(lines)).toEqual({ checkpoints: [checkpoint] });
    expect(await exportedCheckpoints([])).toEqual({ problem: expect.stringMatching(/empty/) });
    expect(await exportedCheckpoints(lines.slice(1))).toEqual({ problem: expect.stringMatching(/line 1 is not a/) });
    expect(await exportedCheckpoints([lines[0]!, '{"type":"checkpoint"}'])).toEqual({
      problem: "line 2 is not a well-formed checkpoint",
    });
  });
});
