import { asc, gt, sql } from "drizzle-orm";
import { beforeAll, beforeEach, expect, it } from "vitest";
import type { Tx } from "../../db";
import { auditCheckpoints, auditEvents } from "../../db/schema";
import { systemActor } from "../../lib/auth/actor";
import { checkpointAuditChain } from "../../lib/audit/checkpoint-audit-chain";
import { exportAuditChain } from "../../lib/audit/export";
import { exportedCheckpoints, ExportFileCheck } from "../../lib/audit/export-file";
import { auditHash } from "../../lib/audit/hash";
import { readAuditExport } from "../../lib/audit/read-export";
import { recordAudit } from "../../lib/audit/record";
import { verifyAuditChain } from "../../lib/audit/verify";
import { generatePrivateKeyPem, signingKeyFromPem, verifyingKeyFromPem } from "../../lib/signing/ed25519";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, seed } from "../support/fixtures";

describeDb("audit checkpoints", (t) => {
  const actor = systemActor("test");
  const key = signingKeyFromPem(generatePrivateKeyPem());
  const publicKey = verifyingKeyFromPem(key.publicKeyPem);
  const at = (minute: number) => new Date(Date.UTC(2026, 11, 2, 1, minute));

  async function append(n: number) {
    for (let i = 0; i < n; i++) {
      await t().db.transaction((tx) =>
        recordAudit(tx, actor, { action: "team.created", entityType: "team", entityId: `t${i}`, data: { i } }),
      );
    }
  }

  /** What an attacker with the database (a superuser, or the data folder) can do behind the trigger. */
  async function behindTheTrigger(change: (tx: Tx) => Promise<unknown>) {
    await t().db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger user`);
      await change(tx);
      await tx.execute(sql`alter table audit_events enable trigger user`);
    });
  }

  beforeAll(async () => seed(t().db));
  beforeEach(async () => {
    await behindTheTrigger((tx) => tx.execute(sql`truncate audit_events, audit_checkpoints`));
    await append(6);
  });

  it("signs the head once: again with no new event makes none, and a moved head makes the next", async () => {
    const first = await checkpointAuditChain(t().db, at(0), key);
    expect(first).toMatchObject({ created: true, checkpoint: { seq: 6, keyId: key.keyId } });
    const [head] = await t().db.select().from(auditEvents).where(gt(auditEvents.seq, 5));
    expect(first.checkpoint!.hash).toBe(head!.hash);
    expect(await checkpointAuditChain(t().db, at(1), key)).toEqual({ created: false, checkpoint: first.checkpoint });
    await append(2);
    expect(await checkpointAuditChain(t().db, at(2), key)).toMatchObject({ created: true, checkpoint: { seq: 8 } });
    const rows = await t().db.select().from(auditCheckpoints).orderBy(asc(auditCheckpoints.seq));
    expect(rows.map((r) => [r.seq, r.createdAt.toISOString()])).toEqual([
      [6, at(0).toISOString()],
      [8, at(2).toISOString()],
    ]);
    expect(await verifyAuditChain(t().db, { key: publicKey })).toEqual({
      ok: true,
      events: 8,
      headHash: expect.any(String),
      checkpoints: 2,
      lastCheckpoint: { seq: 8, createdAt: at(2).toISOString() },
    });
  });

  it("two sweeps at once make one checkpoint", async () => {
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => checkpointAuditChain(t().db, at(5), key)));
    expect(outcomes.filter((o) => o.created)).toHaveLength(1);
    expect(outcomes.map((o) => o.checkpoint?.seq)).toEqual([6, 6, 6, 6]);
    expect(await t().db.$count(auditCheckpoints)).toBe(1);
  });

  it("an empty chain has nothing to sign", async () => {
    await behindTheTrigger((tx) => tx.execute(sql`truncate audit_events`));
    expect(await checkpointAuditChain(t().db, at(0), key)).toEqual({ created: false, checkpoint: null });
  });

  it("a deleted tail is named: the chain no longer reaches the last checkpoint", async () => {
    await checkpointAuditChain(t().db, at(0), key);
    await behindTheTrigger((tx) => tx.execute(sql`delete from audit_events where seq > 4`));
    const result = await verifyAuditChain(t().db, { key: publicKey });
    expect(result).toEqual({
      ok: false,
      events: 4,
      firstBad: {
        seq: 5,
        reason: `the chain ends at event #4, but the checkpoint of ${at(0).toISOString()} (event #6) covers up to #6: events #5 to #6 (at least) were deleted`,
      },
    });
  });

  it("a suffix rewritten with recomputed hashes is named at the checkpoint it contradicts; no sweep signs over it", async () => {
    await checkpointAuditChain(t().db, at(0), key);
    await append(3); // 7..9, not yet checkpointed
    expect(await verifyAuditChain(t().db, { key: publicKey })).toMatchObject({ ok: true, events: 9 });
    // Rewrite 4..9 as a careful attacker would: new content, every hash and prev_hash recomputed.
    await behindTheTrigger(async (tx) => {
      const rows = await tx.select().from(auditEvents).orderBy(asc(auditEvents.seq));
      let prevHash = rows[2]!.hash;
      for (const row of rows.slice(3)) {
        const content = { ...row, occurredAt: row.occurredAt.toISOString(), data: { i: -1 }, prevHash };
        const hash = auditHash(content);
        await tx.execute(
          sql`update audit_events set data = ${JSON.stringify(content.data)}::jsonb, prev_hash = ${prevHash}, hash = ${hash} where seq = ${row.seq}`,
        );
        prevHash = hash;
      }
    });
    const result = await verifyAuditChain(t().db, { key: publicKey });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.firstBad.seq).toBe(6);
      expect(result.firstBad.reason).toBe(
        `hash differs from the one signed in the checkpoint of ${at(0).toISOString()} (event #6): events from the start up to #6 were rewritten`,
      );
      expect(result.events).toBe(5);
    }
    await expect(checkpointAuditChain(t().db, at(9), key)).rejects.toThrow(
      /Not checkpointing: event #7: prev_hash does not match/,
    );
    expect(await t().db.$count(auditCheckpoints)).toBe(1);
  });

  it("a forged checkpoint (a signature that does not verify, or another key's) is named", async () => {
    await checkpointAuditChain(t().db, at(0), key);
    await t().db.execute(sql`update audit_checkpoints set created_at = ${at(30).toISOString()}::timestamptz`);
    const forged = await verifyAuditChain(t().db, { key: publicKey });
    expect(forged).toMatchObject({
      ok: false,
      events: 5,
      firstBad: { seq: 6, reason: expect.stringContaining("cannot be trusted: its signature does not verify") },
    });
    const stranger = signingKeyFromPem(generatePrivateKeyPem());
    const result = await verifyAuditChain(t().db, { key: verifyingKeyFromPem(stranger.publicKeyPem) });
    expect(result).toMatchObject({
      ok: false,
      firstBad: { seq: 6, reason: expect.stringContaining("not the trusted key") },
    });
    // A checkpoint beyond the head, with no valid signature, is a forgery and not a deleted tail.
    await t().db.execute(sql`delete from audit_checkpoints`);
    await t()
      .db.insert(auditCheckpoints)
      .values({
        seq: 50,
        hash: "ab".repeat(32),
        createdAt: at(0),
        keyId: key.keyId,
        signature: Buffer.alloc(64).toString("base64"),
      });
    expect(await verifyAuditChain(t().db, { key: publicKey })).toMatchObject({
      ok: false,
      firstBad: { seq: 50, reason: expect.stringContaining("signature does not verify") },
    });
  });

  it("the verifiable export holds the key and the checkpoints and verifies offline; tampering and a wrong key are named", async () => {
    await checkpointAuditChain(t().db, at(0), key);
    const text = await new Response(exportAuditChain(t().db, key, at(1))).text();
    const lines = text.trimEnd().split("\n");
    expect(lines).toHaveLength(1 + 1 + 6);
    expect(JSON.parse(lines[0]!)).toEqual({
      type: "greenlight-audit-export",
      version: 1,
      exported_at: at(1).toISOString(),
      key_id: key.keyId,
      public_key: key.publicKeyPem,
    });
    expect(JSON.parse(lines[1]!)).toMatchObject({ type: "checkpoint", seq: 6, key_id: key.keyId });
    expect(JSON.parse(lines[2]!)).toMatchObject({ type: "event", seq: 1, actor_id: null, actor_email: "system:test" });
    const check = (content: string, trusted = publicKey) => {
      const file = new ExportFileCheck(trusted);
      for (const line of content.split("\n")) if (!file.line(line)) break;
      return file.finish();
    };
    expect(check(text)).toMatchObject({ ok: true, events: 6, checkpoints: 1, lastCheckpoint: { seq: 6 } });
    expect(check(text.replace('"data":{"i":2}', '"data":{"i":20}'))).toMatchObject({
      ok: false,
      firstBad: { seq: 3, reason: expect.stringMatching(/changed/) },
    });
    expect(check(lines.slice(0, -2).join("\n"))).toMatchObject({
      ok: false,
      firstBad: { seq: 5, reason: expect.stringMatching(/were deleted/) },
    });
    const stranger = verifyingKeyFromPem(signingKeyFromPem(generatePrivateKeyPem()).publicKeyPem);
    expect(check(text, stranger)).toMatchObject({
      ok: false,
      firstBad: { seq: null, reason: expect.stringMatching(/not the given public key/) },
    });
  });

  it("format=jsonl is the verifiable export: admins only, and always the whole chain", async () => {
    const read = async (email: string, query: Record<string, string>) =>
      readAuditExport({ db: t().db, actor: await actorFor(t().db, email) }, query);
    const { format, stream } = await read("ada@example.com", { format: "jsonl" });
    expect(format).toBe("jsonl");
    const text = await new Response(stream).text();
    expect(text.split("\n").filter((l) => l.includes('"type":"event"'))).toHaveLength(6);
    await expectStatus(read("alice@example.com", { format: "jsonl" }), 403);
    const filtered = await expectStatus(read("ada@example.com", { format: "jsonl", action: "team.created" }), 400);
    expect(filtered.fieldErrors).toEqual({ action: ["Not with format=jsonl."] });
  });

  it("checkpoints deleted from the database with the tail: those of an earlier export still name the deletion", async () => {
    await checkpointAuditChain(t().db, at(0), key);
    const earlier = await new Response(exportAuditChain(t().db, key, at(1))).text();
    await behindTheTrigger(async (tx) => {
      await tx.execute(sql`delete from audit_events where seq > 3`);
      await tx.execute(sql`delete from audit_checkpoints`);
    });
    // The database alone cannot tell: nothing in it remembers the lost head.
    expect(await verifyAuditChain(t().db, { key: publicKey })).toMatchObject({ ok: true, events: 3, checkpoints: 0 });
    const kept = await exportedCheckpoints(earlier.split("\n"));
    expect(kept).toMatchObject({ checkpoints: [{ seq: 6 }] });
    const result = await verifyAuditChain(t().db, {
      key: publicKey,
      alsoCheckpoints: "checkpoints" in kept ? kept.checkpoints : [],
    });
    expect(result).toMatchObject({
      ok: false,
      firstBad: { seq: 4, reason: expect.stringMatching(/events #4 to #6 \(at least\) were deleted/) },
    });
  });
});
