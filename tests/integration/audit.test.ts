import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { auditEvents } from "../../db/schema";
import { systemActor } from "../../lib/auth/actor";
import { recordAudit } from "../../lib/audit/record";
import { verifyAuditChain } from "../../lib/audit/verify";
import { describeDb } from "../support/database";

describeDb("audit log", (t) => {
  const actor = systemActor("test");

  it("applies every migration from empty (the template) and a second run changes nothing", async () => {
    const tables = await t().sql<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' order by 1`;
    expect(tables.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        "users",
        "accounts",
        "sessions",
        "verification_tokens",
        "teams",
        "memberships",
        "user_roles",
        "audit_events",
        "notifications",
      ]),
    );
    const { migrateDatabase } = await import("../../db/migrate");
    const before = await t().sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
    await migrateDatabase(t().url);
    const after = await t().sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
    expect(after[0]!.n).toBe(before[0]!.n);
    expect(before[0]!.n).toBeGreaterThanOrEqual(2);
  });

  it("chains events: each stores the previous hash, and verify walks them", async () => {
    for (let i = 0; i < 5; i++) {
      await t().db.transaction((tx) =>
        recordAudit(tx, actor, { action: "team.created", entityType: "team", entityId: `t${i}`, data: { i } }),
      );
    }
    const rows = await t().db.select().from(auditEvents).orderBy(auditEvents.seq);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    expect(await verifyAuditChain(t().db)).toMatchObject({ ok: true, events: 5 });
  });

  it("refuses UPDATE, DELETE and TRUNCATE with a database trigger", async () => {
    await expect(t().sql`update audit_events set action = 'x' where seq = 1`).rejects.toThrow(/append-only/);
    await expect(t().sql`delete from audit_events where seq = 1`).rejects.toThrow(/append-only/);
    await expect(t().sql`truncate audit_events`).rejects.toThrow(/append-only/);
    expect(await verifyAuditChain(t().db)).toMatchObject({ ok: true });
  });

  it("concurrent writers never fork the chain", async () => {
    const before = (await verifyAuditChain(t().db)).events;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        t().db.transaction((tx) =>
          recordAudit(tx, actor, { action: "team.renamed", entityType: "team", entityId: `c${i}`, data: {} }),
        ),
      ),
    );
    const result = await verifyAuditChain(t().db);
    expect(result).toMatchObject({ ok: true, events: before + 40 });
  });

  it("an event rolls back with its transaction", async () => {
    const before = (await verifyAuditChain(t().db)).events;
    await expect(
      t().db.transaction(async (tx) => {
        await recordAudit(tx, actor, { action: "team.created", entityType: "team", entityId: "rolled-back" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await verifyAuditChain(t().db)).toMatchObject({ ok: true, events: before });
  });

  it("verify names the first row whose content was edited behind the trigger's back", async () => {
    // Only a superuser can switch the trigger off; that is the attacker this check is for.
    await t().db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger audit_events_no_update_delete`);
      await tx.execute(sql`update audit_events set data = '{"i": 99}'::jsonb where seq = 3`);
      await tx.execute(sql`alter table audit_events enable trigger audit_events_no_update_delete`);
    });
    const result = await verifyAuditChain(t().db);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.firstBad.seq).toBe(3);
      expect(result.firstBad.reason).toMatch(/changed/);
      expect(result.events).toBe(2);
    }
  });
});
