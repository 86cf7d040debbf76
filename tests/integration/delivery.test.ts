import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEvents, notifications } from "../../db/schema";
import { DELIVERY } from "../../lib/jobs/queues";
import { startJobs, stopJobs } from "../../lib/jobs/start";
import { MAX_ATTEMPTS, settleDeliveries } from "../../lib/notifications/deliver";
import { enqueueNotification } from "../../lib/notifications/enqueue";
import { retryNotification } from "../../lib/notifications/retry-notification";
import { idempotencyKeyFor, resendTransport } from "../../lib/notifications/transports";
import { inUnitOfWork } from "../../lib/verb";
import { describeDb } from "../support/database";
import { startFakeResend, type FakeResend, type Reply } from "../support/fake-resend";
import { actorFor, expectStatus, race, seed } from "../support/fixtures";
import { fastForwardRetries, waitUntil, type RetryWait } from "../support/jobs";
import { addPeople } from "../support/registry";
import { currentJobQueue } from "../../lib/jobs/current";
import { sweepOutbox } from "../../lib/jobs/outbox-sweep";

// Mail through the job queue, with the real Resend SDK talking to a misbehaving stand-in.
describeDb("mail delivery on the job queue", (t) => {
  let resend: FakeResend;
  beforeAll(async () => {
    await seed(t().db);
    await settleDeliveries();
    resend = await startFakeResend();
    await startJobs(t().url, {
      db: t().db,
      work: true,
      // The SDK gives up on a silent server after 2 s here (30 s in production).
      transport: resendTransport("re_test_key", resend.baseUrl, { timeoutMs: 2000 }),
      pollingIntervalSeconds: 0.5,
      sweepCron: null,
    });
  });
  afterAll(async () => {
    await stopJobs();
    await resend?.close();
  });

  /** Queues mail the way every verb does: inside its transaction, handed to the queue on commit. */
  const queueMail = (count: number, label: string) =>
    inUnitOfWork(t().db, async (work) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const props = {
          url: `http://localhost:3000/api/auth/callback/email?token=${label}${i}`,
          host: "localhost:3000",
          expiresInHours: 24,
        };
        ids.push(await enqueueNotification(work, { to: `${label}${i}@example.com`, template: "sign-in", props }));
      }
      return ids;
    });
  const rowsOf = (ids: string[]) => t().db.select().from(notifications).where(inArray(notifications.id, ids));
  const rowOf = async (id: string) => (await rowsOf([id]))[0]!;
  const statusCounts = async (ids: string[]) => {
    const counts: Record<string, number> = {};
    for (const row of await rowsOf(ids)) counts[row.status] = (counts[row.status] ?? 0) + 1;
    return counts;
  };
  const jobsFor = async (id: string) =>
    (
      await t().sql`select state::text from pgboss.job where name = 'deliver-notification' and singleton_key = ${id}`
    ).map((r) => String(r.state));
  /** A dead letter made directly: queued outside any verb, so no job is asked for it. */
  const deadLetter = async (label: string) => {
    const props = {
      url: `http://localhost:3000/api/auth/callback/email?token=${label}`,
      host: "localhost:3000",
      expiresInHours: 24,
    };
    const id = await inUnitOfWork(t().db, (work) =>
      enqueueNotification(work, { to: `${label}@example.com`, template: "sign-in", props }),
    );
    await t()
      .db.update(notifications)
      .set({ status: "failed", attempts: MAX_ATTEMPTS, lastError: "Resend refused the message" })
      .where(eq(notifications.id, id));
    return id;
  };
  const retriedEvents = (id: string) =>
    t()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "notification.retried"), eq(auditEvents.entityId, id)));
  const admin = async (email = "ada@example.com") => ({ db: t().db, actor: await actorFor(t().db, email) });

  it("mail a verb queued is delivered exactly once while the provider refuses (500) or hangs on three calls in five", async () => {
    // Each new idempotency key gets the next script of replies; a key the fake accepted is replayed.
    const scripts: Reply[][] = [
      ["error", "ok"],
      ["error", "error", "ok"],
      ["error", "hang", "ok"],
      ["accept-then-hang"],
      ["error", "accept-then-hang"],
      ["hang", "error", "ok"],
    ];
    const scriptOf = new Map<string, Reply[]>();
    resend.behaviour = ({ key, attempt }) => {
      if (!scriptOf.has(key)) scriptOf.set(key, scripts[scriptOf.size % scripts.length]!);
      return scriptOf.get(key)![attempt - 1] ?? "ok";
    };
    const started = Date.now();
    const ids = await queueMail(50, "chaos");
    const waits: RetryWait[] = [];
    // The minute sweep is part of the guarantee (a job that expired under load is queued again), so
    // the test runs it too, every few seconds instead of every minute.
    let lastSweep = Date.now();
    let requeuedBySweep = 0;
    const tick = async () => {
      waits.push(...(await fastForwardRetries(t().sql)));
      if (Date.now() - lastSweep > 5_000) {
        lastSweep = Date.now();
        requeuedBySweep += (await sweepOutbox(currentJobQueue()!, t().db)).requeued;
      }
    };
    await waitUntil(async () => (await statusCounts(ids)).sent === 50, { tick, limitMs: 150_000 });
    const keys = ids.map(idempotencyKeyFor);
    const calls = resend.calls.filter((c) => keys.includes(c.key));
    const tally = (reply: string) => calls.filter((c) => c.reply === reply).length;
    console.log(
      `[${t().engine}] 50 notifications delivered through chaos in ${Date.now() - started} ms: ${calls.length} calls, ` +
        `${tally("error")} refused (500), ${tally("hang") + tally("accept-then-hang")} timed out, ${tally("replay")} idempotent replays, ${waits.length} retries`,
    );

    expect(await statusCounts(ids)).toEqual({ sent: 50 }); // none lost
    for (const key of keys) expect(resend.sent.get(key), key).toBe(1); // none sent twice
    expect(calls.filter((c) => c.reply === "conflict")).toEqual([]); // every retry sent the same message
    expect(tally("error")).toBeGreaterThan(0);
    expect(tally("accept-then-hang")).toBeGreaterThan(0);
    expect(tally("replay")).toBe(tally("accept-then-hang"));
    // pg-boss did the retrying, each after its backoff (at least retryDelay * 2^retryCount), except
    // attempts whose job expired under load: the sweep queued those again (counted separately).
    expect(waits.length).toBeLessThanOrEqual(calls.length - 50);
    expect(waits.length + requeuedBySweep).toBeGreaterThanOrEqual(calls.length - 50); // every attempt after the first waited its turn
    for (const w of waits)
      expect(w.waitSeconds).toBeGreaterThanOrEqual(DELIVERY.retryDelaySeconds * 2 ** w.retryCount - 1);
    for (const row of await rowsOf(ids))
      expect(row.attempts).toBe(calls.filter((c) => c.key === idempotencyKeyFor(row.id)).length);
  });

  it("an email the provider always refuses is dead-lettered after MAX_ATTEMPTS; an admin's retry delivers it once", async () => {
    resend.behaviour = () => "error";
    const [id] = (await queueMail(1, "doomed")) as [string];
    const waits: RetryWait[] = [];
    const dead = async () =>
      (await rowOf(id)).attempts >= MAX_ATTEMPTS && (await jobsFor(id)).every((s) => s === "completed");
    await waitUntil(dead, { tick: async () => waits.push(...(await fastForwardRetries(t().sql))) });
    expect(await rowOf(id)).toMatchObject({
      status: "failed",
      attempts: MAX_ATTEMPTS,
      lastError: expect.stringContaining("Something broke"),
    });
    expect(resend.calls.filter((c) => c.key === idempotencyKeyFor(id))).toHaveLength(MAX_ATTEMPTS);
    // Exponential backoff: retry n waited between retryDelay * 2^n and twice that.
    expect(waits.map((w) => w.retryCount)).toEqual([0, 1, 2, 3]);
    for (const w of waits) {
      expect(w.waitSeconds).toBeGreaterThanOrEqual(DELIVERY.retryDelaySeconds * 2 ** w.retryCount - 1);
      expect(w.waitSeconds).toBeLessThanOrEqual(DELIVERY.retryDelaySeconds * 2 ** (w.retryCount + 1) + 1);
    }

    resend.behaviour = () => "ok";
    expect(await retryNotification(await admin(), { notificationId: id })).toEqual({ id, status: "queued" });
    await waitUntil(async () => (await rowOf(id)).status === "sent");
    expect(await rowOf(id)).toMatchObject({ status: "sent", attempts: 1, lastError: null });
    expect(resend.sent.get(idempotencyKeyFor(id))).toBe(1);
    expect(await retriedEvents(id)).toMatchObject([
      {
        actorEmail: "ada@example.com",
        data: { to: "doomed0@example.com", lastError: expect.stringContaining("Something broke") },
      },
    ]);
  });

  it("retry is refused to a non-admin (403), for bad input (400), an unknown id (404) and mail that is not dead (409)", async () => {
    resend.behaviour = () => "ok";
    const id = await deadLetter("refused");
    const alice = await admin("alice@example.com");
    await expectStatus(retryNotification(alice, { notificationId: id }), 403);
    // Held the role when their request began, lost it since: the check inside the transaction refuses.
    await expectStatus(
      retryNotification(
        { ...alice, actor: { ...alice.actor, roles: [...alice.actor.roles, "admin"] } },
        { notificationId: id },
      ),
      403,
    );
    expect(await rowOf(id)).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });

    const ada = await admin();
    for (const bad of [{}, { notificationId: "CR-1" }, null, "x", { notificationId: 42 }]) {
      const error = await expectStatus(retryNotification(ada, bad), 400);
      if (bad && typeof bad === "object") expect(error.fieldErrors).toHaveProperty("notificationId");
    }
    await expectStatus(retryNotification(ada, { notificationId: randomUUID() }), 404);
    const [sent] = (await queueMail(1, "fine")) as [string];
    await waitUntil(async () => (await rowOf(sent)).status === "sent");
    await expectStatus(retryNotification(ada, { notificationId: sent }), 409);
    await t()
      .db.update(notifications)
      .set({ status: "failed", attempts: MAX_ATTEMPTS - 1 })
      .where(eq(notifications.id, sent));
    await expectStatus(retryNotification(ada, { notificationId: sent }), 409); // still has attempts: the queue retries it
    expect(await retriedEvents(id)).toEqual([]);
    expect(await retriedEvents(sent)).toEqual([]);
  });

  it("two admins retrying one dead letter at once: one resets it, the other gets a conflict; one email goes out", async () => {
    resend.behaviour = () => "ok";
    const id = await deadLetter("twice");
    const [second] = await addPeople(t().db, "admin-twice", 1, "admin");
    const admins = [await admin(), await admin(second)];
    const { ok, statuses } = await race(admins.map((ctx) => () => retryNotification(ctx, { notificationId: id })));
    expect(ok).toEqual([{ id, status: "queued" }]);
    expect(statuses).toEqual([409]);
    await waitUntil(async () => (await rowOf(id)).status === "sent");
    expect(await rowOf(id)).toMatchObject({ status: "sent", attempts: 1 });
    expect(resend.sent.get(idempotencyKeyFor(id))).toBe(1);
    expect(await retriedEvents(id)).toHaveLength(1);
  });
});
