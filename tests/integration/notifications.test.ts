import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { notifications } from "../../db/schema";
import { deliverNotification, deliverPending, MAX_ATTEMPTS } from "../../lib/notifications/deliver";
import { setDeliveryDispatcher } from "../../lib/notifications/dispatch";
import { enqueueNotification } from "../../lib/notifications/enqueue";
import { outboxTransport, resendTransport } from "../../lib/notifications/transports";
import { inUnitOfWork } from "../../lib/verb";
import { describeDb } from "../support/database";

// A stand-in for Resend's HTTP API on loopback (RESEND_BASE_URL points the real SDK at it).
type Seen = { headers: http.IncomingHttpHeaders; body: Record<string, unknown> };
let fake: http.Server;
let seen: Seen[] = [];
let reply: { status: number; body: unknown } = { status: 200, body: { id: "re_msg_1" } };
let baseUrl = "";

beforeAll(async () => {
  fake = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      seen.push({ headers: req.headers, body: JSON.parse(raw || "{}") });
      res.writeHead(reply.status, { "content-type": "application/json" });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  // These tests are the delivery worker: with no dispatcher the commit would also send each row in the
  // background through the outbox, and whichever claimed it first would win (a flaky null here).
  setDeliveryDispatcher(async () => {});
});
afterAll(async () => {
  setDeliveryDispatcher(undefined);
  await new Promise<void>((r) => fake.close(() => r()));
});

const signInProps = {
  url: "http://localhost:3000/api/auth/callback/email?token=abc&email=maya%40example.com",
  host: "localhost:3000",
  expiresInHours: 24,
};

describeDb("notifications", (t) => {
  const queue = (to = "maya@example.com") =>
    inUnitOfWork(t().db, (work) => enqueueNotification(work, { to, template: "sign-in", props: signInProps }));

  it("a queued email rolls back with the transaction that queued it", async () => {
    await expect(
      inUnitOfWork(t().db, async (work) => {
        await enqueueNotification(work, { to: "gone@example.com", template: "sign-in", props: signInProps });
        throw new Error("verb failed");
      }),
    ).rejects.toThrow("verb failed");
    expect(
      await t().db.select().from(notifications).where(eq(notifications.recipientEmail, "gone@example.com")),
    ).toEqual([]);
  });

  it("bad template props are refused when queued, not when sent", async () => {
    await expect(
      inUnitOfWork(t().db, (work) =>
        enqueueNotification(work, {
          to: "x@example.com",
          template: "sign-in",
          props: { url: "not a url", host: "h", expiresInHours: 1 },
        }),
      ),
    ).rejects.toMatchObject({ status: 400 });
  });

  it("the outbox transport keeps the rendered HTML and marks it delivered", async () => {
    const id = await queue();
    const sent = await deliverNotification(t().db, id, outboxTransport);
    expect(sent).toMatchObject({
      status: "sent",
      transport: "outbox",
      attempts: 1,
      subject: "Sign in to Greenlight (localhost:3000)",
    });
    expect(sent!.html).toContain("token=abc");
    expect(sent!.html).toMatch(/expires in (<!-- -->)?24(<!-- -->)? hours/);
  });

  it("Resend gets one request with the idempotency key, sender, recipient and both bodies", async () => {
    seen = [];
    reply = { status: 200, body: { id: "re_msg_1" } };
    const id = await queue();
    const sent = await deliverNotification(t().db, id, resendTransport("re_test_key", baseUrl));
    expect(sent).toMatchObject({ status: "sent", transport: "resend", providerMessageId: "re_msg_1" });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers["idempotency-key"]).toBe(`greenlight-notification-${id}`);
    expect(seen[0]!.headers.authorization).toBe("Bearer re_test_key");
    expect(seen[0]!.body).toMatchObject({
      to: "maya@example.com",
      from: "Greenlight <greenlight@test.example>",
      subject: "Sign in to Greenlight (localhost:3000)",
    });
    expect(String(seen[0]!.body.html)).toContain("token=abc");
    expect(String(seen[0]!.body.text)).toContain("token=abc");
  });

  it("ten workers delivering one notification at once send it once", async () => {
    seen = [];
    const id = await queue();
    const transport = resendTransport("re_test_key", baseUrl);
    await Promise.all(Array.from({ length: 10 }, () => deliverNotification(t().db, id, transport)));
    expect(seen).toHaveLength(1);
  });

  it("a refusal is recorded, retried by the sweep, and given up after the attempt limit", async () => {
    seen = [];
    reply = {
      status: 422,
      body: { name: "validation_error", message: "The from address is not verified", statusCode: 422 },
    };
    const id = await queue("retry@example.com");
    const transport = resendTransport("re_test_key", baseUrl);
    const failed = await deliverNotification(t().db, id, transport);
    expect(failed).toMatchObject({ status: "failed", attempts: 1 });
    expect(failed!.lastError).toContain("not verified");
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) await deliverPending(t().db, 50, transport);
    const [row] = await t().db.select().from(notifications).where(eq(notifications.id, id));
    expect(row).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
    expect(seen.filter((s) => s.body.to === "retry@example.com")).toHaveLength(MAX_ATTEMPTS);

    reply = { status: 200, body: { id: "re_msg_2" } };
  });
});
