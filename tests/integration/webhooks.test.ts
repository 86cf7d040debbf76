import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { auditEvents, notifications, webhookAttempts, webhookDeliveries, webhookEndpoints } from "../../db/schema";
import { recordAudit } from "../../lib/audit/record";
import { getEnv } from "../../lib/env";
import { startJobs, stopJobs } from "../../lib/jobs/start";
import { registerVersion } from "../../lib/models/register-version";
import { createRequest } from "../../lib/requests/create-request";
import { decide } from "../../lib/requests/decide";
import { submitRequest } from "../../lib/requests/submit-request";
import { createToken } from "../../lib/tokens/create-token";
import { inUnitOfWork } from "../../lib/verb";
import { createWebhook } from "../../lib/webhooks/create-webhook";
import { DISABLE_AFTER_FAILURES, deliverWebhook, MAX_WEBHOOK_ATTEMPTS } from "../../lib/webhooks/deliver";
import { deliverDueWebhooks } from "../../lib/webhooks/due";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, race } from "../support/fixtures";
import { waitUntil } from "../support/jobs";
import { artifactDigestOf, seedRegistry } from "../support/registry";
import { callRoute, type CallOptions, type Handler } from "../support/routes";

const state = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("../../lib/session/config", () => ({ auth: async () => null, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));

const listRoute = await import("../../app/api/v1/webhooks/route");
const oneRoute = await import("../../app/api/v1/webhooks/[id]/route");
const logRoute = await import("../../app/api/v1/webhooks/[id]/deliveries/route");
const deliveryRoute = await import("../../app/api/v1/webhooks/[id]/deliveries/[deliveryId]/route");
const redeliverRoute = await import("../../app/api/v1/webhooks/[id]/deliveries/[deliveryId]/redeliver/route");
const call = (handler: Handler, opts: CallOptions = {}) => callRoute(handler, "/api/v1/webhooks", opts);

/**
 * A receiver written from the Standard Webhooks specification alone, sharing nothing with the sending
 * code: the signed content is "<webhook-id>.<webhook-timestamp>.<body>", the key is the base64 after
 * "whsec_", the signature HMAC-SHA256 in base64 behind "v1," (several may be sent, space-separated),
 * and a timestamp more than five minutes off is refused. It keeps each message once, by webhook-id.
 */
class Receiver {
  server!: http.Server;
  url = "";
  secret = "";
  /** Every request that reached it. */
  hits: { id: string; valid: boolean; body: Record<string, unknown> }[] = [];
  /** Messages processed, once each (verified, deduplicated by webhook-id). */
  seen = new Map<string, Record<string, unknown>>();
  /** Status to answer next, per call; 200 when the list runs out. */
  answers: number[] = [];
  clockSkewOk = true;

  async start() {
    this.server = http.createServer((req, res) => {
      let raw = "";
      req.on("data", (c) => (raw += c));
      req.on("end", () => {
        const id = String(req.headers["webhook-id"] ?? "");
        const valid = this.verify(id, String(req.headers["webhook-timestamp"] ?? ""), raw, req.headers);
        const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        this.hits.push({ id, valid, body });
        const status = valid ? (this.answers.shift() ?? 200) : 401;
        if (status >= 200 && status < 300 && !this.seen.has(id)) this.seen.set(id, body);
        res.writeHead(status, { "content-type": "text/plain" });
        res.end(status < 300 ? "ok" : "receiver unavailable");
      });
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  verify(id: string, timestamp: string, body: string, headers: http.IncomingHttpHeaders): boolean {
    if (!id || !/^\d+$/.test(timestamp) || !this.secret.startsWith("whsec_")) return false;
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 5 * 60 && !this.clockSkewOk) return false;
    const key = Buffer.from(this.secret.slice("whsec_".length), "base64");
    const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest();
    return String(headers["webhook-signature"] ?? "")
      .split(" ")
      .some((part) => {
        const [version, sig] = part.split(",");
        if (version !== "v1" || !sig) return false;
        const given = Buffer.from(sig, "base64");
        return given.length === expected.length && timingSafeEqual(given, expected);
      });
  }

  stop() {
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

describeDb("webhooks", (t) => {
  let adminToken: string;
  let aliceToken: string;
  const receiver = new Receiver();
  const as = async (email: string, now?: Date) => ({ db: t().db, actor: await actorFor(t().db, email), now });

  beforeAll(async () => {
    state.db = t().db;
    await seedRegistry(t().db);
    adminToken = (await createToken(await as("ada@example.com"), { name: "admin-ci" })).token;
    aliceToken = (await createToken(await as("alice@example.com"), { name: "alice-ci" })).token;
    await receiver.start();
  });
  afterAll(async () => {
    await stopJobs();
    await receiver.stop();
  });
  beforeEach(async () => {
    // Each test starts with no endpoints, so events from one do not reach another's receiver.
    await t().db.delete(webhookEndpoints);
    receiver.hits = [];
    receiver.seen.clear();
    receiver.answers = [];
  });

  const addEndpoint = async (events: string[], url = receiver.url) => {
    const made = await call(listRoute.POST, {
      token: adminToken,
      method: "POST",
      body: JSON.stringify({ url, events }),
    });
    expect(made.status).toBe(201);
    receiver.secret = made.body.secret;
    return made.body as { id: string; secret: string };
  };
  let versionCounter = 0;
  const newVersion = async () => {
    const version = `wh${++versionCounter}`;
    await registerVersion(await as("alice@example.com"), {
      model: "fraud-detector",
      version,
      sourceUri: `s3://m/${version}`,
      artifactDigest: artifactDigestOf(version),
      framework: "xgboost",
      hyperparameters: {},
      datasetName: "tx",
      datasetVersion: "1",
      metrics: {},
    });
    return version;
  };
  const deliveriesOf = (endpointId: string) =>
    t().db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));

  it("an admin adds an endpoint: 201 with the id and a whsec_ secret shown once; others are refused; bad input is a 400 at the field", async () => {
    const made = await call(listRoute.POST, {
      token: adminToken,
      method: "POST",
      body: JSON.stringify({ url: receiver.url, events: ["request.approved", "request.deployed", "request.approved"] }),
    });
    expect(made).toMatchObject({
      status: 201,
      body: {
        id: expect.any(String),
        url: receiver.url,
        events: ["request.approved", "request.deployed"],
        enabled: true,
      },
    });
    expect(made.headers.get("location")).toBe(`/api/v1/webhooks/${made.body.id}`);
    expect(made.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(made.body.secret.slice(6), "base64")).toHaveLength(32);

    const listed = await call(listRoute.GET, { token: adminToken });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(made.body.secret);
    expect(listed.body.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining([
        "request.submitted",
        "request.approved",
        "step.auto_passed",
        "budget.alert",
        "security.finding",
      ]),
    );
    const one = await call(oneRoute.GET, { token: adminToken, params: { id: made.body.id } });
    expect(one.body).not.toHaveProperty("secret");

    expect((await call(listRoute.GET, { token: aliceToken })).status).toBe(403);
    expect(
      (
        await call(listRoute.POST, {
          token: aliceToken,
          method: "POST",
          body: JSON.stringify({ url: receiver.url, events: ["request.approved"] }),
        })
      ).status,
    ).toBe(403);
    expect((await call(listRoute.GET, {})).status).toBe(401);

    const bad = await call(listRoute.POST, {
      token: adminToken,
      method: "POST",
      body: JSON.stringify({ url: "ftp://example.com/x", events: ["request.nonsense"] }),
    });
    expect(bad).toMatchObject({
      status: 400,
      body: { errors: { url: [expect.any(String)], "events.0": [expect.any(String)] } },
    });
    const none = await call(listRoute.POST, {
      token: adminToken,
      method: "POST",
      body: JSON.stringify({ url: receiver.url, events: [] }),
    });
    expect(none).toMatchObject({ status: 400, body: { errors: { events: ["Choose at least one event."] } } });
    expect((await call(listRoute.POST, { token: adminToken, method: "POST", body: "{not json" })).status).toBe(400);
    expect(await t().db.select().from(webhookEndpoints)).toHaveLength(1);
  });

  it("endpoints on loopback, private and metadata addresses are refused unless WEBHOOKS_ALLOW_PRIVATE is true", async () => {
    const env = getEnv();
    env.webhooksAllowPrivate = false;
    try {
      for (const url of [
        "http://127.0.0.1:9/x",
        "http://localhost/x",
        "http://10.1.2.3/x",
        "http://192.168.0.10/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://[fd00::1]/x",
        "http://0.0.0.0/x",
      ]) {
        const refused = await call(listRoute.POST, {
          token: adminToken,
          method: "POST",
          body: JSON.stringify({ url, events: ["request.approved"] }),
        });
        expect(refused, url).toMatchObject({
          status: 400,
          body: { errors: { url: [expect.stringContaining("private")] } },
        });
      }
      // An endpoint that was allowed once is still refused at send time (the address is checked per connection).
      const [row] = await t()
        .db.insert(webhookEndpoints)
        .values({
          url: receiver.url,
          events: ["model.version_registered"],
          secret: "whsec_" + Buffer.alloc(32).toString("base64"),
        })
        .returning();
      await newVersion();
      const [delivery] = await deliveriesOf(row!.id);
      const tried = await deliverWebhook(t().db, delivery!.id);
      expect(tried).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: null });
      expect(tried!.lastError).toContain("private");
      expect(receiver.hits).toHaveLength(0);
    } finally {
      env.webhooksAllowPrivate = true;
    }
    const allowed = await call(listRoute.POST, {
      token: adminToken,
      method: "POST",
      body: JSON.stringify({ url: "http://127.0.0.1:9/x", events: ["request.approved"] }),
    });
    expect(allowed.status).toBe(201);
  });

  it("with the job queue running, a request's submission, decision and approval reach the receiver signed, with the artifact digest and receipt link", async () => {
    await startJobs(t().url, {
      work: true,
      db: t().db,
      pollingIntervalSeconds: 0.5,
      sweepCron: null,
      digestCron: null,
      weeklyInsightsCron: null,
      checkpointCron: null,
    });
    try {
      await addEndpoint(["request.submitted", "request.decided", "request.approved", "request.rejected"]);
      const version = await newVersion();
      const { number } = await createRequest(await as("alice@example.com"), {
        model: "fraud-detector",
        version,
        environment: "staging",
        title: `Deploy ${version} to staging`,
      });
      await submitRequest(await as("alice@example.com"), { number });
      await decide(await as("lee@example.com"), { number, decision: "approve" });
      const types = () => [...receiver.seen.values()].map((b) => b.type);
      expect(await waitUntil(async () => receiver.seen.size >= 3, { limitMs: 60_000 })).toBe(true);
      expect(types().sort()).toEqual(["request.approved", "request.decided", "request.submitted"]);
      expect(receiver.hits.every((h) => h.valid)).toBe(true);
      const approved = [...receiver.seen.values()].find((b) => b.type === "request.approved")!;
      expect(approved).toMatchObject({
        type: "request.approved",
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        data: {
          request: {
            number: `CR-${number}`,
            status: "approved",
            environment: "staging",
            model: "fraud-detector",
            version,
            artifactDigest: artifactDigestOf(version),
            receiptUrl: expect.stringContaining(`/api/v1/requests/CR-${number}/receipt`),
          },
          actor: "lee@example.com",
        },
      });
      // Nothing for the event it did not choose, and the message ids are distinct.
      expect(new Set(receiver.hits.map((h) => h.id)).size).toBe(3);
    } finally {
      await stopJobs();
    }
  });

  it("a receiver that fails twice gets the event on the third attempt, after the backoff, and processes it once", async () => {
    const endpoint = await addEndpoint(["model.version_registered"]);
    receiver.answers = [503, 500];
    await newVersion();
    const [delivery] = await deliveriesOf(endpoint.id);
    const start = delivery!.nextAttemptAt.getTime();
    expect(await deliverWebhook(t().db, delivery!.id, { now: new Date(start) })).toMatchObject({
      status: "pending",
      attempts: 1,
      lastStatusCode: 503,
      nextAttemptAt: new Date(start + 30_000),
    });
    // Not due yet: nothing is sent.
    expect((await deliverDueWebhooks(t().db, { now: new Date(start + 10_000) })).attempted).toBe(0);
    await deliverDueWebhooks(t().db, { now: new Date(start + 30_000) });
    const [after2] = await deliveriesOf(endpoint.id);
    expect(after2).toMatchObject({ status: "pending", attempts: 2, lastStatusCode: 500 });
    expect(after2!.nextAttemptAt).toEqual(new Date(start + 30_000 + 120_000));
    await deliverDueWebhooks(t().db, { now: new Date(start + 150_000) });
    const [done] = await deliveriesOf(endpoint.id);
    expect(done).toMatchObject({ status: "delivered", attempts: 3, lastStatusCode: 200, lastError: null });
    expect(receiver.hits).toHaveLength(3);
    expect(new Set(receiver.hits.map((h) => h.id))).toEqual(new Set([delivery!.messageId]));
    expect(receiver.seen.size).toBe(1);
    const attempts = await t().db.select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, delivery!.id));
    expect(attempts.map((a) => a.statusCode).sort()).toEqual([200, 500, 503]);
    // The endpoint's failure count went back to zero with the success.
    const [row] = await t().db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(row!.consecutiveFailures).toBe(0);
  });

  it("ten workers attempting one delivery at once send it once", async () => {
    const endpoint = await addEndpoint(["model.version_registered"]);
    await newVersion();
    const [delivery] = await deliveriesOf(endpoint.id);
    const results = await Promise.all(Array.from({ length: 10 }, () => deliverWebhook(t().db, delivery!.id)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(receiver.hits).toHaveLength(1);
  });

  it("an event whose change rolls back is never queued", async () => {
    const endpoint = await addEndpoint(["policy.changed"]);
    const ada = await actorFor(t().db, "ada@example.com");
    await expect(
      inUnitOfWork(t().db, async ({ tx }) => {
        await recordAudit(tx, ada, { action: "policy.updated", entityType: "policy", entityId: "p-1" });
        expect(
          await tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id)),
        ).toHaveLength(1);
        throw new Error("the verb failed");
      }),
    ).rejects.toThrow("the verb failed");
    expect(await deliveriesOf(endpoint.id)).toHaveLength(0);
  });

  it(`an endpoint failing ${DISABLE_AFTER_FAILURES} attempts in a row is turned off, the admins are emailed, and what waited is failed`, async () => {
    const endpoint = await addEndpoint(["model.version_registered"]);
    receiver.answers = Array.from({ length: 100 }, () => 500);
    for (let i = 0; i < 4; i++) await newVersion();
    let now = Date.now();
    for (let round = 0; round < MAX_WEBHOOK_ATTEMPTS + 1; round++) {
      await deliverDueWebhooks(t().db, { now: new Date(now) });
      now += 7 * 3_600_000; // past the longest backoff
    }
    const [row] = await t().db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(row).toMatchObject({ enabled: false, consecutiveFailures: DISABLE_AFTER_FAILURES });
    expect(row!.disabledReason).toContain(`${DISABLE_AFTER_FAILURES} failed attempts`);
    expect(receiver.hits).toHaveLength(DISABLE_AFTER_FAILURES);
    const deliveries = await deliveriesOf(endpoint.id);
    expect(deliveries.every((d) => d.status === "failed")).toBe(true);
    const [audit] = await t()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "webhook.disabled"), eq(auditEvents.entityId, endpoint.id)));
    expect(audit).toMatchObject({
      actorEmail: "system:webhooks",
      data: { url: receiver.url, failures: DISABLE_AFTER_FAILURES },
    });
    const mail = await t().db.select().from(notifications).where(eq(notifications.template, "webhook-disabled"));
    expect(mail.map((m) => m.recipientEmail)).toContain("ada@example.com");
    expect(mail[0]!.subject).toContain(receiver.url);

    // Off: new events are not queued for it, and redelivery asks for it to be turned on first.
    await newVersion();
    expect(await deliveriesOf(endpoint.id)).toHaveLength(deliveries.length);
    const refused = await call(redeliverRoute.POST, {
      token: adminToken,
      method: "POST",
      params: { id: endpoint.id, deliveryId: deliveries[0]!.id },
    });
    expect(refused).toMatchObject({ status: 400, body: { errors: { enabled: [expect.any(String)] } } });

    // Turned on again: the count is cleared and a redelivery goes out with the same webhook-id.
    const on = await call(oneRoute.PATCH, {
      token: adminToken,
      method: "PATCH",
      params: { id: endpoint.id },
      body: JSON.stringify({ enabled: true }),
    });
    expect(on).toMatchObject({ status: 200, body: { enabled: true, consecutiveFailures: 0, disabledReason: null } });
    receiver.answers = [];
    const again = await call(redeliverRoute.POST, {
      token: adminToken,
      method: "POST",
      params: { id: endpoint.id, deliveryId: deliveries[0]!.id },
    });
    expect(again).toMatchObject({ status: 202, body: { status: "pending" } });
    await deliverDueWebhooks(t().db);
    expect(receiver.hits.at(-1)).toMatchObject({ id: deliveries[0]!.messageId, valid: true });
    expect(receiver.seen.has(deliveries[0]!.messageId)).toBe(true);
  });

  it("the delivery log: newest first with a cursor, one delivery's attempts and body, and bad filters are 400s", async () => {
    const endpoint = await addEndpoint(["model.version_registered"]);
    for (let i = 0; i < 52; i++) await newVersion();
    const first = await call(logRoute.GET, { token: adminToken, params: { id: endpoint.id } });
    expect(first.status).toBe(200);
    expect(first.body.deliveries).toHaveLength(50);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await call(logRoute.GET, {
      token: adminToken,
      params: { id: endpoint.id },
      query: `?before=${encodeURIComponent(first.body.next)}`,
    });
    expect(second.body.deliveries).toHaveLength(2);
    expect(second.body.next).toBeNull();
    const ids = [...first.body.deliveries, ...second.body.deliveries].map((d: { id: string }) => d.id);
    expect(new Set(ids).size).toBe(52);

    await deliverDueWebhooks(t().db);
    const one = await call(deliveryRoute.GET, {
      token: adminToken,
      params: { id: endpoint.id, deliveryId: ids[0]! },
    });
    expect(one).toMatchObject({
      status: 200,
      body: {
        status: "delivered",
        payload: { type: "model.version_registered", data: { details: { model: "fraud-detector" } } },
        attemptLog: [{ statusCode: 200, error: null }],
      },
    });
    expect(
      (await call(logRoute.GET, { token: adminToken, params: { id: endpoint.id }, query: "?status=nope" })).status,
    ).toBe(400);
    expect(
      (await call(logRoute.GET, { token: adminToken, params: { id: endpoint.id }, query: "?before=garbage" })).status,
    ).toBe(400);
    expect((await call(logRoute.GET, { token: aliceToken, params: { id: endpoint.id } })).status).toBe(403);
    expect((await call(logRoute.GET, { token: adminToken, params: { id: "not-a-uuid" } })).status).toBe(404);
  });

  it("changes and removal: PATCH events, concurrent deletes (one 204, one 404), the log goes with the endpoint", async () => {
    const endpoint = await addEndpoint(["model.version_registered"]);
    await newVersion();
    const changed = await call(oneRoute.PATCH, {
      token: adminToken,
      method: "PATCH",
      params: { id: endpoint.id },
      body: JSON.stringify({ events: ["request.approved"], description: "Deploy pipeline" }),
    });
    expect(changed).toMatchObject({
      status: 200,
      body: { events: ["request.approved"], description: "Deploy pipeline" },
    });
    await newVersion();
    expect(await deliveriesOf(endpoint.id)).toHaveLength(1); // the second version's event is not chosen any more
    const badPatch = await call(oneRoute.PATCH, {
      token: adminToken,
      method: "PATCH",
      params: { id: endpoint.id },
      body: JSON.stringify({ enabled: "sometimes" }),
    });
    expect(badPatch).toMatchObject({ status: 400, body: { errors: { enabled: [expect.any(String)] } } });
    expect(
      (await call(oneRoute.DELETE, { token: aliceToken, method: "DELETE", params: { id: endpoint.id } })).status,
    ).toBe(403);

    const { ok, statuses } = await race([
      () => call(oneRoute.DELETE, { token: adminToken, method: "DELETE", params: { id: endpoint.id } }),
      () => call(oneRoute.DELETE, { token: adminToken, method: "DELETE", params: { id: endpoint.id } }),
    ]);
    expect(statuses).toEqual([]);
    expect(ok.map((r) => r.status).sort()).toEqual([204, 404]);
    expect(await deliveriesOf(endpoint.id)).toHaveLength(0);
  });

  it("two admins adding endpoints at once both succeed with distinct secrets", async () => {
    const ada = await as("ada@example.com");
    const made = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        createWebhook(ada, { url: `${receiver.url}/${i}`, events: ["request.approved"] }),
      ),
    );
    expect(new Set(made.map((m) => m.secret)).size).toBe(4);
    await expectStatus(
      createWebhook(await as("alice@example.com"), { url: receiver.url, events: ["request.approved"] }),
      403,
    );
  });
});
