import { and, asc, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { auditEvents, notificationPreferences, notifications } from "../../db/schema";
import { systemActor } from "../../lib/auth/actor";
import { deliverPending, settleDeliveries } from "../../lib/notifications/deliver";
import { enqueueNotification } from "../../lib/notifications/enqueue";
import { listPreferences } from "../../lib/notifications/preferences";
import { setNotificationPreference } from "../../lib/notifications/set-preference";
import { TEMPLATES, type TemplateName } from "../../lib/notifications/templates";
import { outboxTransport } from "../../lib/notifications/transports";
import { inUnitOfWork } from "../../lib/verb";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, race, seed, userId } from "../support/fixtures";

describeDb("notification preferences", (t) => {
  beforeAll(async () => seed(t().db));
  const ctx = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });
  const set = async (email: string, event: string, mode: string) =>
    setNotificationPreference(await ctx(email), { event, mode });

  /** Queues one email to this person as a verb would; says what was written and what delivery was asked for. */
  const mail = async (email: string, template: TemplateName) => {
    const id = await userId(t().db, email);
    const props = TEMPLATES[template].preview;
    // The row is read inside the unit of work: after commit a delivery worker may already be sending it.
    return inUnitOfWork(t().db, async (work) => {
      const notificationId = await enqueueNotification(work, { to: email, userId: id, template, props });
      const [row] = notificationId
        ? await work.tx.select().from(notifications).where(eq(notifications.id, notificationId))
        : [];
      return { row, queued: [...work.queuedNotifications], notificationId };
    });
  };
  const changes = (id: string) =>
    t()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "notification.preference_changed"), eq(auditEvents.entityId, id)))
      .orderBy(asc(auditEvents.seq));

  it("with no preference an email is queued at once, tagged with its template's event", async () => {
    const { row, queued } = await mail("maya@example.com", "decision-made");
    expect(row).toMatchObject({ status: "queued", event: "decision_made" });
    expect(queued).toEqual([row!.id]);
  });

  it("digest: the email is held, not handed to delivery, and no worker sends it", async () => {
    expect(await set("maya@example.com", "decision_made", "digest")).toEqual({
      event: "decision_made",
      mode: "digest",
      changed: true,
    });
    const { row, queued } = await mail("maya@example.com", "decision-made");
    expect(row).toMatchObject({ status: "held", event: "decision_made", attempts: 0 });
    expect(queued).toEqual([]);
    await settleDeliveries();
    await deliverPending(t().db, 500, outboxTransport);
    const [after] = await t().db.select().from(notifications).where(eq(notifications.id, row!.id));
    expect(after).toMatchObject({ status: "held", attempts: 0, html: null });
  });

  it("off: nothing is written; other events of the same person are untouched", async () => {
    await set("maya@example.com", "decision_made", "off");
    const { notificationId, queued } = await mail("maya@example.com", "decision-made");
    expect(notificationId).toBeNull();
    expect(queued).toEqual([]);
    expect((await mail("maya@example.com", "budget-alert")).row).toMatchObject({
      status: "queued",
      event: "budget_alert",
    });
    // Another person's choice is theirs alone.
    expect((await mail("lee@example.com", "decision-made")).row).toMatchObject({ status: "queued" });
  });

  it("immediately: back to being sent at once", async () => {
    await set("maya@example.com", "decision_made", "immediately");
    expect((await mail("maya@example.com", "decision-made")).row).toMatchObject({ status: "queued" });
  });

  it("mandatory events cannot be switched off (400 naming mode); a stored off is treated as digest", async () => {
    const error = await expectStatus(set("sam@example.com", "step_waiting", "off"), 400);
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["mode"]);
    expect(error.fieldErrors?.mode?.[0]).toMatch(/cannot be switched off/);
    // A row stored before the event became mandatory (or written by hand) still never silences it.
    const sam = await userId(t().db, "sam@example.com");
    await t().db.insert(notificationPreferences).values({ userId: sam, event: "step_waiting", mode: "off" });
    const { row, queued } = await mail("sam@example.com", "step-waiting");
    expect(row).toMatchObject({ status: "held", event: "step_waiting" });
    expect(queued).toEqual([]);
    expect((await listPreferences(t().db, sam)).find((p) => p.event === "step_waiting")).toMatchObject({
      mode: "digest",
      mandatory: true,
    });
    expect(await set("sam@example.com", "step_waiting", "digest")).toMatchObject({ changed: true });
  });

  it("sign-in links, digests and other mail ignore preferences: always sent at once", async () => {
    const lee = await userId(t().db, "lee@example.com");
    await t()
      .db.insert(notificationPreferences)
      .values([
        { userId: lee, event: "sign_in", mode: "off" },
        { userId: lee, event: "daily_digest", mode: "off" },
        { userId: lee, event: "other", mode: "digest" },
      ]);
    expect((await mail("lee@example.com", "sign-in")).row).toMatchObject({ status: "queued", event: "sign_in" });
    expect((await mail("lee@example.com", "daily-digest")).row).toMatchObject({
      status: "queued",
      event: "daily_digest",
    });
    expect((await mail("lee@example.com", "request-update")).row).toMatchObject({ status: "queued", event: "other" });
  });

  it("the settings list shows every configurable event with the effective choice", async () => {
    await set("alice@example.com", "budget_alert", "off");
    const list = await listPreferences(t().db, await userId(t().db, "alice@example.com"));
    expect(list.map((p) => p.event)).toContain("decision_made");
    expect(list.find((p) => p.event === "budget_alert")).toMatchObject({ mode: "off", mandatory: false });
    expect(list.find((p) => p.event === "decision_made")).toMatchObject({ mode: "immediately" });
  });

  it("setting one: recorded with before and after in the audit log; setting it again changes nothing", async () => {
    const alice = await userId(t().db, "alice@example.com");
    const before = (await changes(alice)).length;
    expect(await set("alice@example.com", "request_outcome", "digest")).toMatchObject({ changed: true });
    expect(await set("alice@example.com", "request_outcome", "digest")).toMatchObject({ changed: false });
    expect(await set("alice@example.com", "approval_expiry", "immediately")).toMatchObject({ changed: false }); // the default
    const events = await changes(alice);
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({
      actorEmail: "alice@example.com",
      data: { event: "request_outcome", before: "immediately", after: "digest" },
    });
  });

  it("only for oneself: an admin changing someone else's is refused (403), and so is the system", async () => {
    const maya = await userId(t().db, "maya@example.com");
    await expectStatus(
      setNotificationPreference(await ctx("ada@example.com"), { event: "budget_alert", mode: "off", userId: maya }),
      403,
    );
    await expectStatus(
      setNotificationPreference({ db: t().db, actor: systemActor("test") }, { event: "budget_alert", mode: "off" }),
      403,
    );
    const [row] = await t()
      .db.select()
      .from(notificationPreferences)
      .where(and(eq(notificationPreferences.userId, maya), eq(notificationPreferences.event, "budget_alert")));
    expect(row).toBeUndefined();
    // Naming oneself is fine.
    expect(
      await setNotificationPreference(await ctx("maya@example.com"), {
        event: "budget_alert",
        mode: "digest",
        userId: maya,
      }),
    ).toMatchObject({ changed: true });
  });

  it("bad input is a 400 naming the field", async () => {
    const e1 = await expectStatus(set("maya@example.com", "sign_in", "off"), 400);
    expect(Object.keys(e1.fieldErrors ?? {})).toEqual(["event"]);
    const e2 = await expectStatus(set("maya@example.com", "budget_alert", "weekly"), 400);
    expect(Object.keys(e2.fieldErrors ?? {})).toEqual(["mode"]);
    await expectStatus(setNotificationPreference(await ctx("maya@example.com"), {}), 400);
  });

  it("20 concurrent changes of one preference end with one row, and one audit event per real change", async () => {
    const bob = await userId(t().db, "bob@example.com");
    const asBob = await ctx("bob@example.com");
    const modes = ["digest", "off", "immediately", "digest"];
    const { ok, statuses } = await race(
      Array.from(
        { length: 20 },
        (_, i) => () =>
          setNotificationPreference(asBob, { event: "delegation_started", mode: modes[i % modes.length] }),
      ),
    );
    expect(statuses).toEqual([]);
    const rows = await t()
      .db.select()
      .from(notificationPreferences)
      .where(and(eq(notificationPreferences.userId, bob), eq(notificationPreferences.event, "delegation_started")));
    expect(rows).toHaveLength(1);
    const events = await changes(bob);
    expect(events).toHaveLength(ok.filter((r) => r.changed).length);
    // The audit chain tells the story in order: each change starts where the previous one ended.
    for (let i = 1; i < events.length; i++) expect(events[i]!.data.before).toBe(events[i - 1]!.data.after);
    expect(events.at(-1)!.data.after).toBe(rows[0]!.mode);
  });
});
