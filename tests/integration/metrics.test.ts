import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { notifications } from "../../db/schema";
import { createJobQueue } from "../../lib/jobs/start";
import type { JobQueue } from "../../lib/jobs/send";
import { QUEUES } from "../../lib/jobs/queues";
import { MAX_ATTEMPTS } from "../../lib/notifications/deliver";
import { describeDb } from "../support/database";
import { seed } from "../support/fixtures";

// GET /api/metrics as Prometheus scrapes it: the token check, the exposition format, the queue and
// outbox figures read from the database, and the latency of /api/v1 calls this process answered.

const TOKEN = "metrics-token-for-tests-0123456789abcdef";
const state = vi.hoisted(() => {
  process.env.METRICS_TOKEN = "metrics-token-for-tests-0123456789abcdef";
  return { db: undefined as unknown, unreachable: false };
});
vi.mock("../../lib/db", () => ({
  getDb: async () => {
    if (state.unreachable) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
    return state.db;
  },
}));
vi.mock("../../lib/session/config", () => ({ auth: async () => null, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("next/server", () => ({ connection: async () => undefined }));

const { GET: metrics } = await import("../../app/api/metrics/route");
const { GET: readRequest } = await import("../../app/api/v1/requests/[number]/route");

const scrape = (authorization?: string) =>
  metrics(new Request("http://localhost/api/metrics", { headers: authorization ? { authorization } : {} }));

/** `name{labels} value` lines as a map, for the samples a test asserts. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describeDb("GET /api/metrics", (t) => {
  let queue: JobQueue;
  beforeAll(async () => {
    state.db = t().db;
    await seed(t().db);
    // A send-only queue, as a web server in WORKER_MODE=separate has: jobs wait for a worker.
    queue = await createJobQueue(t().url, { db: t().db, work: false, sweepCron: null });
  });
  afterAll(async () => queue?.stop());

  it("refuses a scrape without the token, or with another one (401, nothing read)", async () => {
    for (const header of [undefined, "Bearer wrong-token", `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const response = await scrape(header);
      expect(response.status, String(header)).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await response.text()).not.toContain("greenlight_");
    }
  });

  it("reports queue depth, emails waiting and delivery failures from the database", async () => {
    const base = { recipientEmail: "x@example.com", template: "t", subject: "s", payload: {} };
    await t()
      .db.insert(notifications)
      .values([
        { ...base, status: "queued" },
        { ...base, status: "queued" },
        { ...base, status: "held" },
        { ...base, status: "failed", attempts: 2 },
        { ...base, status: "failed", attempts: MAX_ATTEMPTS },
        { ...base, status: "sent", attempts: 1 },
      ]);
    for (const notificationId of [crypto.randomUUID(), crypto.randomUUID()]) {
      // As lib/jobs/send.ts sends them: the queue keeps one waiting job per notification.
      await queue.boss.send(QUEUES.deliverNotification, { notificationId }, { singletonKey: notificationId });
    }

    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await response.text();
    expect(text.endsWith("\n")).toBe(true);
    expect(text).toContain("# TYPE greenlight_job_queue_jobs gauge");
    const s = samples(text);
    expect(s.get(`greenlight_job_queue_jobs{queue="${QUEUES.deliverNotification}",state="created"}`)).toBe(2);
    expect(s.get('greenlight_notifications_pending{status="queued"}')).toBe(2);
    expect(s.get('greenlight_notifications_pending{status="held"}')).toBe(1);
    expect(s.get('greenlight_notifications_pending{status="sending"}')).toBe(0);
    expect(s.get('greenlight_notification_delivery_failures{state="retrying"}')).toBe(1);
    expect(s.get('greenlight_notification_delivery_failures{state="dead_letter"}')).toBe(1);
    expect(s.get("greenlight_database_up")).toBe(1);
  });

  it("has a latency histogram of /api/v1 calls by route template, method and status", async () => {
    for (const number of ["CR-1001", "CR-1002", "CR-1003"]) {
      const response = await readRequest(new Request(`http://localhost/api/v1/requests/${number}`), {
        params: Promise.resolve({ number }),
      });
      expect(response.status).toBe(401); // no token, no session: refused calls are timed too
    }
    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    expect(text).toContain("# TYPE greenlight_http_request_duration_seconds histogram");
    const s = samples(text);
    const labels = 'method="GET",route="/api/v1/requests/{number}",status="401"';
    expect(s.get(`greenlight_http_request_duration_seconds_count{${labels}}`)).toBe(3);
    expect(s.get(`greenlight_http_request_duration_seconds_bucket{${labels},le="+Inf"}`)).toBe(3);
    expect(s.get(`greenlight_http_request_duration_seconds_sum{${labels}}`)).toBeGreaterThan(0);
    // One series for the route, not one per request number.
    expect(text).not.toContain("CR-1002");
  });

  it("still answers when the database is unreachable, saying so in greenlight_database_up", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    state.unreachable = true;
    try {
      const response = await scrape(`Bearer ${TOKEN}`);
      expect(response.status).toBe(200);
      const s = samples(await response.text());
      expect(s.get("greenlight_database_up")).toBe(0);
      expect(s.has('greenlight_notifications_pending{status="queued"}')).toBe(false);
    } finally {
      state.unreachable = false;
      logged.mockRestore();
    }
  });
});
