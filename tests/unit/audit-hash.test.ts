import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { auditHash, canonicalJson, checkLink, GENESIS_HASH, type AuditContent } from "../../lib/audit/hash";

const event = (over: Partial<AuditContent> = {}): AuditContent => ({
  seq: 1,
  occurredAt: "2026-11-26T10:00:00.000Z",
  actorId: "u1",
  actorEmail: "ada@example.com",
  action: "user.role_granted",
  entityType: "user",
  entityId: "u2",
  data: { role: "security", email: "bob@example.com" },
  prevHash: GENESIS_HASH,
  ...over,
});

describe("audit hashing", () => {
  it("canonical JSON does not depend on key order, at any depth", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(JSON.parse(canonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
      }),
    );
    expect(canonicalJson({ b: { d: 1, c: [2, { f: 1, e: 0 }] }, a: null })).toBe(
      '{"a":null,"b":{"c":[2,{"e":0,"f":1}],"d":1}}',
    );
  });

  it("any change to any field changes the hash; extra fields on a row do not", () => {
    const base = auditHash(event());
    expect(auditHash({ ...event(), hash: "whatever" } as AuditContent)).toBe(base);
    for (const change of [
      { seq: 2 },
      { actorEmail: "eve@example.com" },
      { data: { role: "admin", email: "bob@example.com" } },
      { prevHash: "1".repeat(64) },
      { occurredAt: "2026-11-26T10:00:00.001Z" },
    ]) {
      expect(auditHash(event(change))).not.toBe(base);
    }
  });

  it("checkLink names what is wrong with a row", () => {
    const row = { ...event(), hash: auditHash(event()) };
    expect(checkLink(row, { seq: 1, prevHash: GENESIS_HASH })).toBeNull();
    expect(checkLink(row, { seq: 2, prevHash: GENESIS_HASH })).toMatch(/sequence gap/);
    expect(checkLink(row, { seq: 1, prevHash: "f".repeat(64) })).toMatch(/prev_hash/);
    expect(checkLink({ ...row, action: "user.deactivated" }, { seq: 1, prevHash: GENESIS_HASH })).toMatch(/changed/);
  });
});
