import { and, eq, inArray } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { auditEvents, notifications, users } from "../../db/schema";
import { settleDeliveries } from "../../lib/notifications/deliver";
import { digestDay, sendDigests } from "../../lib/notifications/digest";
import { enqueueNotification } from "../../lib/notifications/enqueue";
import { setNotificationPreference } from "../../lib/notifications/set-preference";
import { TEMPLATES } from "../../lib/notifications/templates";
import { inUnitOfWork } from "../../lib/verb";
import { describeDb } from "../support/database";
import { actorFor, seed, userId } from "../support/fixtures";

type DigestItem = { event: string; headline: string; number?: number; title?: string; url: string; at: string };

describeDb("the daily digest", (t) => {
  const PEOPLE = ["maya@example.com", "lee@example.com", "sam@example.com", "alice@example.com"];
  beforeAll(async () => {
    await seed(t().db);
    await settleDeliveries();
    for (const email of PEOPLE) {
      const ctx = { db: t().db, actor: await actorFor(t().db, email) };
      await setNotificationPreference(ctx, { event: "decision_made", mode: "digest" });
      await setNotificationPreference(ctx, { event: "budget_alert", mode: "digest" });
    }
  });

  let serial = 0;
  /** Holds one decision for this person (a distinct request number each time, to trace items). */
  const holdDecision = async (email: string) => {
    const number = 5000 + ++serial;
    const props = {
      ...TEMPLATES["decision-made"].preview,
      number,
      title: `Request ${number}`,
      url: `http://localhost:3000/requests/${number}`,
    };
    const recipient = await userId(t().db, email); // read before the transaction: PGlite serves one at a time
    const id = await inUnitOfWork(t().db, (work) =>
      enqueueNotification(work, { to: email, userId: recipient, template: "decision-made", props }),
    );
    return id!;
  };
  const holdBudgetAlert = async (email: string) => {
    const recipient = await userId(t().db, email);
    const id = await inUnitOfWork(t().db, (work) =>
      enqueueNotification(work, {
        to: email,
        userId: recipient,
        template: "budget-alert",
        props: TEMPLATES["budget-alert"].preview,
      }),
    );
    return id!;
  };
  const rowsOf = (ids: string[]) => t().db.select().from(notifications).where(inArray(notifications.id, ids));
  const digestsFor = async (email: string, day: string) =>
    (
      await t()
        .db.select()
        .from(notifications)
        .where(and(eq(notifications.recipientEmail, email), eq(notifications.template, "daily-digest")))
    ).filter((n) => n.payload.date === day);
  const itemsOf = (digest: { payload: Record<string, unknown> }) => digest.payload.items as DigestItem[];

  it("each person's held mail goes out as ONE digest listing every item; the held rows become digested", async () => {
    const now = new Date("2031-03-04T07:00:00Z");
    const day = digestDay(now);
    expect(day).toBe("2031-03-04");
    const mayas = [
      await holdDecision("maya@example.com"),
      await holdDecision("maya@example.com"),
      await holdBudgetAlert("maya@example.com"),
    ];
    const lees = [await holdDecision("lee@example.com")];
    expect((await rowsOf([...mayas, ...lees])).map((r) => r.status)).toEqual(["held", "held", "held", "held"]);

    const run = await sendDigests(t().db, now);
    expect(run).toEqual({ digests: 2, items: 4 });
    await settleDeliveries();

    const [digest, ...more] = await digestsFor("maya@example.com", day);
    expect(more).toEqual([]);
    expect(digest).toMatchObject({
      status: "sent",
      event: "daily_digest",
      recipientUserId: await userId(t().db, "maya@example.com"),
    });
    expect(digest!.payload).toMatchObject({
      recipientName: "Maya Lindqvist",
      date: day,
      settingsUrl: expect.stringMatching(/\/settings\/notifications$/),
    });
    const held = await rowsOf(mayas);
    expect(held.every((r) => r.status === "digested" && r.sentAt?.getTime() === now.getTime())).toBe(true);
    // Every held email is an item: its subject as the headline, its link, its request, its kind.
    const items = itemsOf(digest!);
    expect(items).toHaveLength(3);
    for (const row of held) {
      const item = items.find((i) => i.headline === row.subject && i.at === row.createdAt.toISOString());
      expect(item, row.subject).toMatchObject({ event: row.event, url: row.payload.url });
      if (row.template === "decision-made")
        expect(item).toMatchObject({ number: row.payload.number, title: row.payload.title });
    }
    // The rendered email lists them.
    expect(digest!.html).toContain('href="http://localhost:3000/requests/5001"');
    expect(digest!.html).toContain("Request 5002");

    const [event] = await t()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "notification.digest_sent"), eq(auditEvents.entityId, digest!.id)));
    expect(event).toMatchObject({ actorEmail: "system:daily-digest", data: { to: "maya@example.com", day, items: 3 } });
  });

  it("a second run the same day sends nothing; mail held after today's digest waits for tomorrow's", async () => {
    const today = new Date("2031-03-04T09:00:00Z");
    const late = await holdDecision("maya@example.com");
    expect(await sendDigests(t().db, today)).toEqual({ digests: 0, items: 0 });
    expect(await digestsFor("maya@example.com", "2031-03-04")).toHaveLength(1);
    expect((await rowsOf([late]))[0]).toMatchObject({ status: "held" });

    expect(await sendDigests(t().db, new Date("2031-03-05T07:00:00Z"))).toEqual({ digests: 1, items: 1 });
    const [tomorrow] = await digestsFor("maya@example.com", "2031-03-05");
    expect(itemsOf(tomorrow!).map((i) => i.number)).toEqual([(await rowsOf([late]))[0]!.payload.number]);
  });

  it("nobody without held mail gets a digest, and a deactivated person's mail stays held", async () => {
    const bob = await userId(t().db, "bob@example.com");
    const kept = await holdDecision("sam@example.com");
    await t().db.update(users).set({ active: false }).where(eq(users.email, "sam@example.com"));
    try {
      expect(await sendDigests(t().db, new Date("2031-03-06T07:00:00Z"))).toEqual({ digests: 0, items: 0 });
      expect((await rowsOf([kept]))[0]).toMatchObject({ status: "held" });
      expect(
        await t()
          .db.select()
          .from(notifications)
          .where(and(eq(notifications.recipientUserId, bob), eq(notifications.template, "daily-digest"))),
      ).toEqual([]);
    } finally {
      await t().db.update(users).set({ active: true }).where(eq(users.email, "sam@example.com"));
    }
  });

  it("two (and four) runs at once: every person gets exactly one digest, every held item exactly once", async () => {
    for (const [runs, date] of [
      [2, "2031-03-07T07:00:00Z"],
      [4, "2031-03-08T07:00:00Z"],
    ] as const) {
      const held: string[] = [];
      for (const email of PEOPLE) for (let i = 0; i < 3; i++) held.push(await holdDecision(email));
      held.push(await holdBudgetAlert("alice@example.com"));
      const heldRows = await rowsOf(held);
      const results = await Promise.all(Array.from({ length: runs }, () => sendDigests(t().db, new Date(date))));
      await settleDeliveries();

      // sam still has one held from the test before: the totals cover it too.
      const expectedItems = heldRows.length + (runs === 2 ? 1 : 0);
      expect(results.reduce((n, r) => n + r.digests, 0)).toBe(PEOPLE.length);
      expect(results.reduce((n, r) => n + r.items, 0)).toBe(expectedItems);
      expect((await rowsOf(held)).every((r) => r.status === "digested")).toBe(true);
      const day = date.slice(0, 10);
      const listed: string[] = [];
      for (const email of PEOPLE) {
        const digests = await digestsFor(email, day);
        expect(digests, email).toHaveLength(1);
        listed.push(...itemsOf(digests[0]!).map((i) => `${email} ${i.headline} ${i.at}`));
      }
      expect(new Set(listed).size).toBe(listed.length); // nothing listed twice
      for (const row of heldRows)
        expect(listed).toContain(`${row.recipientEmail} ${row.subject} ${row.createdAt.toISOString()}`); // nothing lost
    }
  });
});
