import { eq, inArray } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { afterAll, afterEach, expect, it } from "vitest";
import { auditCheckpoints, changeRequests, notifications } from "../../db/schema";
import { recordAudit } from "../../lib/audit/record";
import { systemActor } from "../../lib/auth/actor";
import { seedDemoRegistry } from "../../lib/demo/seed-registry";
import { currentJobQueue } from "../../lib/jobs/current";
import { sweepOutbox } from "../../lib/jobs/outbox-sweep";
import { CHECKPOINT_CRON, QUEUES } from "../../lib/jobs/queues";
import { sendDeliveries, type JobQueue } from "../../lib/jobs/send";
import { createJobQueue, startJobs, stopJobs } from "../../lib/jobs/start";
import { ABANDONED_AFTER_MS } from "../../lib/notifications/abandoned";
import { MAX_ATTEMPTS, settleDeliveries } from "../../lib/notifications/deliver";
import { enqueueNotification } from "../../lib/notifications/enqueue";
import type { MailTransport } from "../../lib/notifications/transports";
import { ensureDefaultPolicies } from "../../lib/policies/ensure-defaults";
import { inUnitOfWork, UnitOfWork } from "../../lib/verb";
import { describeDb } from "../support/database";
import { seed } from "../support/fixtures";
import { waitUntil } from "../support/jobs";

describeDb("the job queue", (t) => {
  const opened: JobQueue[] = [];
  const open = async (options: { work: boolean; transport?: MailTransport }) => {
    const queue = await createJobQueue(t().url, {
      db: t().db,
      pollingIntervalSeconds: 0.5,
      sweepCron: null,
      ...options,
    });
    opened.push(queue);
    return queue;
  };
  // Each test opens the queues it needs; a working queue left running would take the next test's jobs.
  afterEach(async () => {
    for (const queue of opened.splice(0)) await queue.stop();
  });
  afterAll(async () => {
    await stopJobs();
  });

  /** Queued mail whose unit of work never hands it to delivery (as if the process died at commit). */
  const queueQuietly = (count: number, label: string) =>
    t().db.transaction(async (tx) => {
      const work = new UnitOfWork(t().db, tx, new Date());
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
  const jobStates = async (id: string) =>
    (
      await t()
        .sql`select state::text from pgboss.job where name = ${QUEUES.deliverNotification} and singleton_key = ${id} order by created_on`
    ).map((r) => String(r.state));
  /** A transport that only records which worker sent what (each call = one email out). */
  const recording = (worker: string, log: Map<string, string[]>): MailTransport => ({
    name: "outbox",
    async send(mail) {
      log.set(mail.id, [...(log.get(mail.id) ?? []), worker]);
      await new Promise((resolve) => setTimeout(resolve, 20)); // long enough for the other worker to fetch meanwhile
      return { providerMessageId: null };
    },
  });

  it("two pg-boss instances working one queue run each of 100 jobs exactly once", async () => {
    const [a, b] = await Promise.all([open({ work: false }), open({ work: false })]);
    const queue = "two-workers-check";
    await a.boss.createQueue(queue);
    const runs = new Map<string, string[]>();
    for (let i = 0; i < 100; i++) await a.boss.send(queue, { i });
    const worker = (name: string) => async (jobs: PgBoss.Job<object>[]) => {
      for (const job of jobs) runs.set(job.id, [...(runs.get(job.id) ?? []), name]);
      await new Promise((resolve) => setTimeout(resolve, 20));
    };
    const started = Date.now();
    await Promise.all([
      a.boss.work(queue, { batchSize: 5, pollingIntervalSeconds: 0.5 }, worker("a")),
      b.boss.work(queue, { batchSize: 5, pollingIntervalSeconds: 0.5 }, worker("b")),
    ]);
    const completed = async () =>
      Number((await t().sql`select count(*) as n from pgboss.job where name = ${queue} and state = 'completed'`)[0]!.n);
    await waitUntil(async () => (await completed()) === 100);
    const ms = Date.now() - started;
    const byA = [...runs.values()].filter((r) => r[0] === "a").length;
    console.log(
      `[${t().engine}] 100 jobs on two workers in ${ms} ms (${((100 * 1000) / ms).toFixed(0)} jobs/s; a ran ${byA}, b ${100 - byA})`,
    );
    expect(await completed()).toBe(100);
    expect(runs.size).toBe(100);
    expect([...runs.values()].filter((r) => r.length !== 1)).toEqual([]);
    expect(byA).toBeGreaterThan(0); // both took part, so "once" was contested
    expect(byA).toBeLessThan(100);
  });

  it("two delivery workers on one database send each of 100 notifications exactly once", async () => {
    const ids = await queueQuietly(100, "pair");
    const sentBy = new Map<string, string[]>();
    const sender = await open({ work: false });
    expect(await sendDeliveries(sender, ids)).toBe(100);
    const started = Date.now();
    await Promise.all([
      open({ work: true, transport: recording("a", sentBy) }),
      open({ work: true, transport: recording("b", sentBy) }),
    ]);
    await waitUntil(async () => (await rowsOf(ids)).every((r) => r.status === "sent"));
    const ms = Date.now() - started;
    const byA = [...sentBy.values()].filter((w) => w[0] === "a").length;
    console.log(
      `[${t().engine}] 100 notifications delivered by two workers in ${ms} ms (${((100 * 1000) / ms).toFixed(0)}/s; a sent ${byA}, b ${sentBy.size - byA})`,
    );
    expect((await rowsOf(ids)).map((r) => `${r.status}/${r.attempts}`)).toEqual(ids.map(() => "sent/1"));
    expect(sentBy.size).toBe(100);
    expect([...sentBy.values()].filter((w) => w.length !== 1)).toEqual([]);
    expect(byA).toBeGreaterThan(0);
    expect(byA).toBeLessThan(100);
  });

  it("the same notification queued twice while waiting is one job", async () => {
    const sender = await open({ work: false });
    const [id] = (await queueQuietly(1, "twice")) as [string];
    expect(await sendDeliveries(sender, [id, id])).toBe(1);
    expect(await sendDeliveries(sender, [id])).toBe(0);
    expect(await jobStates(id)).toEqual(["created"]);
  });

  it("the sweep reclaims mail left 'sending' for over 10 minutes by a dead worker, and queues it again", async () => {
    const sender = await open({ work: false }); // jobs stay visible: nobody works them
    const now = new Date();
    const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
    const [stuck, young, outOfAttempts, unstamped] = (await queueQuietly(4, "stuck")) as [
      string,
      string,
      string,
      string,
    ];
    const strand = (id: string, sentAt: Date | null, attempts = 1) =>
      t().db.update(notifications).set({ status: "sending", attempts, sentAt }).where(eq(notifications.id, id));
    await strand(stuck, minutesAgo(11));
    await strand(young, minutesAgo(9));
    await strand(outOfAttempts, minutesAgo(30), MAX_ATTEMPTS);
    await strand(unstamped, null);

    const first = await sweepOutbox(sender, t().db, now);
    expect(first.reclaimed).toBe(3);
    expect(await rowOf(stuck)).toMatchObject({
      status: "failed",
      attempts: 1,
      sentAt: null,
      lastError: expect.stringContaining("reclaimed"),
    });
    expect(await rowOf(unstamped)).toMatchObject({ status: "failed", attempts: 1 });
    expect(await rowOf(young)).toMatchObject({ status: "sending" }); // may still be on its way
    expect(await rowOf(outOfAttempts)).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS }); // dead-lettered, not retried
    expect(await jobStates(stuck)).toEqual(["created"]);
    expect(await jobStates(unstamped)).toEqual(["created"]);
    expect(await jobStates(young)).toEqual([]);
    expect(await jobStates(outOfAttempts)).toEqual([]);

    // Two minutes on, the young one has been sending for 11: reclaimed too. The waiting jobs stay single.
    const later = await sweepOutbox(sender, t().db, new Date(now.getTime() + 2 * 60_000));
    expect(later.reclaimed).toBe(1);
    expect(await jobStates(young)).toEqual(["created"]);
    expect(await jobStates(stuck)).toEqual(["created"]);
    expect(ABANDONED_AFTER_MS).toBe(10 * 60_000);

    const sentBy = new Map<string, string[]>();
    await open({ work: true, transport: recording("w", sentBy) });
    await waitUntil(async () => (await rowsOf([stuck, young, unstamped])).every((r) => r.status === "sent"));
    expect((await rowsOf([stuck, young, unstamped])).map((r) => `${r.status}/${r.attempts}`)).toEqual([
      "sent/2",
      "sent/2",
      "sent/2",
    ]);
    expect(await rowOf(outOfAttempts)).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
  });

  it("the sweep re-queues mail whose job was lost, but not mail whose job is backing off before a retry", async () => {
    const sender = await open({ work: false });
    const [lost, backingOff] = (await queueQuietly(2, "sweep")) as [string, string];
    // backingOff: its job ran once, failed, and waits (pg-boss's retry state) to run again.
    await sendDeliveries(sender, [backingOff]);
    const [job] = await sender.boss.fetch(QUEUES.deliverNotification);
    expect(job?.data).toEqual({ notificationId: backingOff });
    await t().db.update(notifications).set({ status: "failed", attempts: 1 }).where(eq(notifications.id, backingOff));
    await sender.boss.fail(QUEUES.deliverNotification, job!.id, { message: "refused" });
    expect(await jobStates(backingOff)).toEqual(["retry"]);

    const { requeued } = await sweepOutbox(sender, t().db);
    expect(requeued).toBeGreaterThanOrEqual(1);
    expect(await jobStates(lost)).toEqual(["created"]);
    expect(await jobStates(backingOff)).toEqual(["retry"]);
  });

  it("the sweep expires approvals not deployed in time", async () => {
    await seed(t().db);
    await ensureDefaultPolicies(t().db);
    await seedDemoRegistry(t().db);
    await settleDeliveries();
    const approved = await t()
      .db.select({ id: changeRequests.id })
      .from(changeRequests)
      .where(eq(changeRequests.status, "approved"));
    expect(approved.length).toBeGreaterThan(0);
    const sender = await open({ work: false });
    expect((await sweepOutbox(sender, t().db)).expired).toBe(0);
    const { expired } = await sweepOutbox(sender, t().db, new Date(Date.now() + 400 * 86_400_000));
    expect(expired).toBe(approved.length);
    expect(
      await t()
        .db.select()
        .from(changeRequests)
        .where(
          inArray(
            changeRequests.id,
            approved.map((r) => r.id),
          ),
        ),
    ).toEqual(approved.map(() => expect.objectContaining({ status: "expired" })));
  });

  it("one queue per process: verbs hand mail to it while it runs, and deliver directly once it stops", async () => {
    const [first, second] = await Promise.all([
      startJobs(t().url, { db: t().db, work: false }),
      startJobs(t().url, { db: t().db, work: false }),
    ]);
    expect(second).toBe(first);
    expect(currentJobQueue()).toBe(first);
    const system = { db: t().db, actor: systemActor("test") };
    const mail = (label: string) =>
      inUnitOfWork(system.db, async (work) =>
        enqueueNotification(work, {
          to: `${label}@example.com`,
          template: "sign-in",
          props: { url: `http://localhost:3000/x?${label}`, host: "localhost:3000", expiresInHours: 24 },
        }),
      );

    const queued = await mail("queued");
    await settleDeliveries();
    expect(await jobStates(queued)).toEqual(["created"]); // handed to the queue (nobody works it here)
    expect(await rowOf(queued)).toMatchObject({ status: "queued" });

    await stopJobs();
    expect(currentJobQueue()).toBeUndefined();
    const direct = await mail("direct");
    await settleDeliveries();
    expect(await jobStates(direct)).toEqual([]);
    expect(await rowOf(direct)).toMatchObject({ status: "sent", transport: "outbox" });
  });

  it("signs the audit chain's head hourly, and whenever a checkpoint job is sent", async () => {
    const queue = await open({ work: true });
    expect(await queue.boss.getSchedules()).toContainEqual(
      expect.objectContaining({ name: QUEUES.auditCheckpoint, cron: CHECKPOINT_CRON }),
    );
    await t().db.transaction((tx) =>
      recordAudit(tx, systemActor("test"), { action: "team.created", entityType: "team", entityId: "jobs" }),
    );
    const before = await t().db.$count(auditCheckpoints);
    await queue.boss.send(QUEUES.auditCheckpoint, {});
    expect(await waitUntil(async () => (await t().db.$count(auditCheckpoints)) > before)).toBe(true);
  });
});
