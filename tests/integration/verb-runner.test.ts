import { and, eq, gte, inArray } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { notifications, userRoles, users } from "../../db/schema";
import { chaseOverdue } from "../../lib/requests/chase-overdue";
import { settleDeliveries } from "../../lib/notifications/deliver";
import { enqueueNotification } from "../../lib/notifications/enqueue";
import { createRequest } from "../../lib/requests/create-request";
import { submitRequest } from "../../lib/requests/submit-request";
import { createTeam } from "../../lib/teams/create-team";
import { inUnitOfWork, type UnitOfWork } from "../../lib/verb";
import { describeDb } from "../support/database";
import { actorFor, expectStatus } from "../support/fixtures";
import { seedRegistry } from "../support/registry";

const signIn = {
  url: "http://localhost:3000/api/auth/callback/email?token=x",
  host: "localhost:3000",
  expiresInHours: 24,
};
const T0 = new Date("2031-06-02T08:00:00Z");
const after = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);

// What every verb gets from lib/verb.ts without asking for it: the actor re-loaded inside its
// transaction, and mail handed to delivery once (and only once) the transaction has committed.
describeDb("the verb runner and the unit of work", (t) => {
  beforeAll(async () => seedRegistry(t().db));

  it("an actor whose session still says admin is refused once deactivated or stripped of the role", async () => {
    const lee = await actorFor(t().db, "lee@example.com");
    await t().db.insert(userRoles).values({ userId: lee.id, role: "admin" });
    const stale = await actorFor(t().db, "lee@example.com"); // the session as it was read
    expect(stale.roles).toContain("admin");
    await createTeam({ db: t().db, actor: stale }, { name: "Lee's team" });

    await t()
      .db.delete(userRoles)
      .where(and(eq(userRoles.userId, lee.id), eq(userRoles.role, "admin")));
    const refused = await expectStatus(createTeam({ db: t().db, actor: stale }, { name: "Not made" }), 403);
    expect(refused.message).toMatch(/admin/);

    await t().db.insert(userRoles).values({ userId: lee.id, role: "admin" });
    await t().db.update(users).set({ active: false }).where(eq(users.id, lee.id));
    const gone = await expectStatus(createTeam({ db: t().db, actor: stale }, { name: "Not made either" }), 403);
    expect(gone.message).toMatch(/no longer active/);
    await t().db.update(users).set({ active: true }).where(eq(users.id, lee.id));
    await t()
      .db.delete(userRoles)
      .where(and(eq(userRoles.userId, lee.id), eq(userRoles.role, "admin")));

    const made = await t().sql`select name from teams where name in ('Lee''s team', 'Not made', 'Not made either')`;
    expect(made.map((r) => r.name)).toEqual(["Lee's team"]);
  });

  it("a role the session never had is refused before any parsing (403, not 400)", async () => {
    const alice = await actorFor(t().db, "alice@example.com");
    await expectStatus(createTeam({ db: t().db, actor: alice }, { name: "" }), 403);
  });

  it("mail queued by a sweep is delivered as soon as the sweep commits, not at the next sweep", async () => {
    const alice = { db: t().db, actor: await actorFor(t().db, "alice@example.com"), now: T0 };
    const { number } = await createRequest(alice, {
      model: "fraud-detector",
      version: "v1",
      environment: "production",
      title: "Chased at once",
    });
    await submitRequest(alice, { number });
    await settleDeliveries();
    const since = new Date();
    expect(await chaseOverdue(t().db, after(48))).toMatchObject({ reminded: 2 });
    await settleDeliveries(); // delivery the sweep started after its commit; no second sweep runs
    const reminders = await t()
      .db.select({ status: notifications.status })
      .from(notifications)
      .where(and(eq(notifications.template, "sla-reminder"), gte(notifications.createdAt, since)));
    expect(reminders.map((r) => r.status)).toEqual(["sent", "sent"]);
  });

  it("mail queued in a unit of work that rolls back is neither kept nor sent", async () => {
    await expect(
      inUnitOfWork(t().db, async (work) => {
        await enqueueNotification(work, { to: "rolled-back@example.com", template: "sign-in", props: signIn });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await settleDeliveries();
    const rows = await t()
      .db.select()
      .from(notifications)
      .where(eq(notifications.recipientEmail, "rolled-back@example.com"));
    expect(rows).toEqual([]);
  });

  it("queueing in a unit of work that has ended fails loudly instead of waiting for a sweep", async () => {
    let ended: UnitOfWork | undefined;
    await inUnitOfWork(t().db, async (work) => {
      ended = work;
    });
    await expect(
      enqueueNotification(ended!, { to: "late@example.com", template: "sign-in", props: signIn }),
    ).rejects.toThrow(/ended/);
  });

  it("each of several units of work at once delivers exactly its own mail", async () => {
    const ids = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        inUnitOfWork(t().db, (work) =>
          enqueueNotification(work, { to: `parallel${i}@example.com`, template: "sign-in", props: signIn }),
        ),
      ),
    );
    await settleDeliveries();
    const rows = await t()
      .db.select({ status: notifications.status, attempts: notifications.attempts })
      .from(notifications)
      .where(inArray(notifications.id, ids));
    expect(rows).toEqual(ids.map(() => ({ status: "sent", attempts: 1 })));
  });
});
