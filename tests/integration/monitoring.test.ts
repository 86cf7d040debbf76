import { and, eq, sql } from "drizzle-orm";
import { beforeAll, expect, it, vi } from "vitest";
import {
  auditEvents,
  changeRequests,
  monitoringAlertLinks,
  monitoringAlertLog,
  notifications,
  receipts,
} from "../../db/schema";
import { createRequest } from "../../lib/requests/create-request";
import { decide } from "../../lib/requests/decide";
import { gate } from "../../lib/requests/gate";
import { markDeployed } from "../../lib/requests/mark-deployed";
import { rollBack } from "../../lib/requests/roll-back";
import { submitRequest } from "../../lib/requests/submit-request";
import { withdrawRequest } from "../../lib/requests/withdraw-request";
import { readMonitoringPage } from "../../lib/monitoring/queries";
import { updateMonitoringSettings } from "../../lib/monitoring/update-settings";
import { createToken } from "../../lib/tokens/create-token";
import { deactivateUser } from "../../lib/users/deactivate-user";
import { reactivateUser } from "../../lib/users/reactivate-user";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, userId } from "../support/fixtures";
import { seedRegistry } from "../support/registry";
import { callRoute, type Handler } from "../support/routes";

const state = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("../../lib/session/config", () => ({ auth: async () => null, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));

const alertsRoute = await import("../../app/api/v1/monitoring/alerts/route");

type Outcome = { fingerprint: string; outcome: string; request: number | null; action: string | null; detail: string };

/** An Alertmanager webhook payload (version 4), as notify/webhook sends it. */
function alertmanager(
  alerts: {
    fingerprint: string;
    status?: "firing" | "resolved";
    labels?: Record<string, string>;
    startsAt?: string;
    name?: string;
  }[],
) {
  const built = alerts.map((a) => ({
    status: a.status ?? "firing",
    labels: a.labels ?? {
      alertname: a.name ?? "HighErrorRate",
      model: "fraud-detector",
      model_version: "v1",
      environment: "staging",
      severity: "critical",
    },
    annotations: { summary: "Error rate above 5% for 10 minutes", runbook_url: "https://runbooks.example.com/errors" },
    startsAt: a.startsAt ?? "2026-12-03T09:00:00.123456789Z",
    endsAt: a.status === "resolved" ? "2026-12-03T10:00:00Z" : "0001-01-01T00:00:00Z",
    generatorURL: "http://prometheus.example.com:9090/graph?g0.expr=error_rate%3E0.05&g0.tab=1",
    fingerprint: a.fingerprint,
  }));
  return {
    receiver: "greenlight",
    status: built.some((a) => a.status === "firing") ? "firing" : "resolved",
    alerts: built,
    groupLabels: { alertname: "HighErrorRate" },
    commonLabels: { alertname: "HighErrorRate" },
    commonAnnotations: {},
    externalURL: "http://alertmanager.example.com:9093",
    version: "4",
    groupKey: '{}:{alertname="HighErrorRate"}',
    truncatedAlerts: 0,
  };
}

describeDb("monitoring alerts open, add to and resolve requests", (t) => {
  let lead: string; // an ML lead's token
  let admin: string;
  let requester: string;
  const as = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });
  const post = (body: unknown, token: string | undefined = lead) =>
    callRoute(alertsRoute.POST as Handler, "/api/v1/monitoring/alerts", {
      method: "POST",
      token,
      body: JSON.stringify(body),
    });
  const outcomes = async (body: unknown, token?: string) => {
    const res = await post(body, token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body as { alerts: Outcome[] }).alerts;
  };
  const requestsFor = (fingerprint: string) =>
    t()
      .db.select({ number: changeRequests.number, status: changeRequests.status })
      .from(monitoringAlertLinks)
      .innerJoin(changeRequests, eq(changeRequests.id, monitoringAlertLinks.requestId))
      .where(eq(monitoringAlertLinks.fingerprint, fingerprint));
  const auditOf = (number: number) =>
    t().db.execute(
      sql`select a.action, a.actor_email from audit_events a join change_requests c on c.id::text = a.entity_id where c.number = ${number} order by a.seq`,
    );
  const rowsOf = (result: unknown) =>
    (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];

  beforeAll(async () => {
    state.db = t().db;
    await seedRegistry(t().db);
    // fraud-detector v1 live in staging, filed by Alice, approved by Lee.
    const alice = await as("alice@example.com");
    const { number } = await createRequest(alice, {
      model: "fraud-detector",
      version: "v1",
      environment: "staging",
      title: "Ship v1 to staging",
    });
    await submitRequest(alice, { number });
    await decide(await as("lee@example.com"), { number, decision: "approve" });
    await markDeployed(alice, { number });
    lead = (await createToken(await as("lee@example.com"), { name: "alertmanager" })).token;
    admin = (await createToken(await as("ada@example.com"), { name: "alertmanager-admin" })).token;
    requester = (await createToken(alice, { name: "not-allowed" })).token;
  });

  it("an Alertmanager alert opens exactly one rollback request, filed by the system for the team and routed by policy", async () => {
    const [result] = await outcomes(alertmanager([{ fingerprint: "fp-open" }]));
    expect(result).toMatchObject({ fingerprint: "fp-open", outcome: "opened", action: "rollback" });
    expect(result!.detail).toBe(`opened CR-${result!.request}`);
    const [request] = await t().db.select().from(changeRequests).where(eq(changeRequests.number, result!.request!));
    expect(request).toMatchObject({
      kind: "deployment",
      status: "in_review",
      environment: "staging",
      title: "Roll back fraud-detector v1 in staging: HighErrorRate firing",
      requestedBy: await userId(t().db, "alice@example.com"),
    });
    expect(request!.modelVersionId).not.toBeNull();
    expect(request!.description).toContain("Error rate above 5% for 10 minutes");
    expect(request!.description).toContain("severity=critical");
    expect(request!.description).toContain("http://prometheus.example.com:9090/graph");
    expect(await requestsFor("fp-open")).toHaveLength(1);
    const audit = rowsOf(await auditOf(request!.number));
    expect(audit.map((a) => a.action)).toEqual(["request.created", "request.submitted", "monitoring.alert_opened"]);
    expect(audit[0]!.actor_email).toBe("system:monitoring");
    expect(audit[2]!.actor_email).toBe("lee@example.com");
    // The requester and the ML leads hear of it; the approvers its policy names get the usual email.
    const mail = await t()
      .db.select({ to: notifications.recipientEmail, template: notifications.template })
      .from(notifications)
      .where(sql`${notifications.payload}->>'number' = ${String(request!.number)}`);
    expect(mail).toEqual(
      expect.arrayContaining([
        { to: "alice@example.com", template: "monitoring-alert" },
        { to: "lee@example.com", template: "monitoring-alert" },
      ]),
    );
    expect(mail.some((m) => m.to === "lee@example.com" && m.template !== "monitoring-alert")).toBe(true);
  });

  it("the same alert firing twice adds to its request; a new firing is noted, a repeat only counted", async () => {
    const [first] = await outcomes(alertmanager([{ fingerprint: "fp-twice" }]));
    const [repeat] = await outcomes(alertmanager([{ fingerprint: "fp-twice" }]));
    expect(repeat).toMatchObject({ outcome: "repeat", request: first!.request });
    const [again] = await outcomes(alertmanager([{ fingerprint: "fp-twice", startsAt: "2026-12-03T11:00:00Z" }]));
    expect(again).toMatchObject({ outcome: "added", request: first!.request });
    expect(again!.detail).toBe(`added to CR-${first!.request} (fired again)`);
    expect(await requestsFor("fp-twice")).toHaveLength(1);
    const [link] = await t()
      .db.select()
      .from(monitoringAlertLinks)
      .where(eq(monitoringAlertLinks.fingerprint, "fp-twice"));
    expect(link).toMatchObject({ firings: 2, deliveries: 3, status: "firing" });
    expect(rowsOf(await auditOf(first!.request!)).map((a) => a.action)).toContain("monitoring.alert_added");
    // Firing again is emailed (to the requester and the ML leads); a repeat notification is not.
    const mailed = await t()
      .db.select({ to: notifications.recipientEmail, happened: sql<string>`${notifications.payload}->>'happened'` })
      .from(notifications)
      .where(
        and(
          eq(notifications.template, "monitoring-alert"),
          sql`${notifications.payload}->>'number' = ${String(first!.request)}`,
        ),
      );
    expect(
      mailed
        .filter((m) => m.happened === "again")
        .map((m) => m.to)
        .sort(),
    ).toEqual(["alice@example.com", "lee@example.com"]);
    expect(mailed.filter((m) => m.happened === "opened")).toHaveLength(2);
  });

  it("a resolved alert is noted on its request; firing after that adds to it again", async () => {
    const [opened] = await outcomes(alertmanager([{ fingerprint: "fp-resolve" }]));
    const [resolved] = await outcomes(alertmanager([{ fingerprint: "fp-resolve", status: "resolved" }]));
    expect(resolved).toMatchObject({ outcome: "resolved", request: opened!.request });
    expect(resolved!.detail).toBe(`resolved noted on CR-${opened!.request}`);
    expect(rowsOf(await auditOf(opened!.request!)).map((a) => a.action)).toContain("monitoring.alert_resolved");
    const [back] = await outcomes(alertmanager([{ fingerprint: "fp-resolve" }]));
    expect(back).toMatchObject({ outcome: "added", request: opened!.request });
    // A resolution nobody opened a request for is answered, not refused.
    const [stray] = await outcomes(alertmanager([{ fingerprint: "fp-never", status: "resolved" }]));
    expect(stray).toMatchObject({ outcome: "ignored", request: null });
  });

  it("a label missing, an unknown model, a version not live: each alert ignored with its reason, the others handled", async () => {
    const results = await outcomes(
      alertmanager([
        { fingerprint: "fp-nolabel", labels: { alertname: "HighErrorRate", environment: "staging" } },
        {
          fingerprint: "fp-unknown",
          labels: { alertname: "HighErrorRate", model: "no-such-model", environment: "staging" },
        },
        {
          fingerprint: "fp-notlive",
          labels: { alertname: "HighErrorRate", model: "fraud-detector", model_version: "v2", environment: "staging" },
        },
        {
          fingerprint: "fp-noenv",
          labels: { alertname: "HighErrorRate", model: "fraud-detector", environment: "production" },
        },
        { fingerprint: "fp-mixed" },
      ]),
    );
    expect(results.map((r) => [r.outcome, r.detail])).toEqual([
      ["ignored", "ignored: missing the label model"],
      ["ignored", "ignored: no model named no-such-model"],
      ["ignored", "ignored: fraud-detector v2 is not live in staging (v1 is)"],
      ["ignored", "ignored: nothing of fraud-detector is live in production"],
      ["opened", expect.stringMatching(/^opened CR-\d+$/)],
    ]);
    const logged = await t()
      .db.select({ outcome: monitoringAlertLog.outcome, reason: monitoringAlertLog.reason })
      .from(monitoringAlertLog)
      .where(eq(monitoringAlertLog.fingerprint, "fp-unknown"));
    expect(logged).toEqual([{ outcome: "ignored", reason: "no model named no-such-model" }]);
    const ignoredAudit = await t()
      .db.select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, "monitoring.alert_ignored"),
          sql`${auditEvents.data}->>'fingerprint' = 'fp-unknown'`,
        ),
      );
    expect(ignoredAudit).toHaveLength(1);
    expect(await requestsFor("fp-nolabel")).toHaveLength(0);
  });

  it("two deliveries of the same alert at once (a retry, an HA pair) open exactly one request", async () => {
    const body = alertmanager([{ fingerprint: "fp-race" }]);
    const answers = await Promise.all([post(body), post(body, admin), post(body)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const kinds = answers.map((a) => (a.body as { alerts: Outcome[] }).alerts[0]!.outcome).sort();
    expect(kinds).toEqual(["opened", "repeat", "repeat"]);
    const numbers = new Set(answers.map((a) => (a.body as { alerts: Outcome[] }).alerts[0]!.request));
    expect(numbers.size).toBe(1);
    expect(await requestsFor("fp-race")).toHaveLength(1);
  });

  it("once its request has finished, the alert firing again opens a new request", async () => {
    const [first] = await outcomes(alertmanager([{ fingerprint: "fp-after" }]));
    await withdrawRequest(await as("alice@example.com"), { number: first!.request!, reason: "false alarm" });
    const [next] = await outcomes(alertmanager([{ fingerprint: "fp-after" }]));
    expect(next!.outcome).toBe("opened");
    expect(next!.request).not.toBe(first!.request);
    const open = await t()
      .db.select()
      .from(monitoringAlertLinks)
      .where(and(eq(monitoringAlertLinks.fingerprint, "fp-after"), sql`closed_at is null`));
    expect(open).toHaveLength(1);
  });

  it("the generic JSON form: one alert or a list, with the same handling", async () => {
    const one = { name: "DriftDetected", status: "firing", model: "fraud-detector", environment: "staging", id: "g-1" };
    const [opened] = await outcomes(one);
    expect(opened).toMatchObject({ fingerprint: "g-1", outcome: "opened" });
    const [again] = await outcomes({ alerts: [one] });
    expect(again).toMatchObject({ outcome: "repeat", request: opened!.request });
    const [resolved] = await outcomes({ ...one, status: "resolved" });
    expect(resolved).toMatchObject({ outcome: "resolved", request: opened!.request });
    // Without an id, the alert is its name, model, version and environment.
    const [noId] = await outcomes({
      ...one,
      id: undefined,
      name: "LatencyHigh",
      summary: "p99 over 2s",
      url: "https://grafana.example.com/d/1",
    });
    const [sameNoId] = await outcomes({ ...one, id: undefined, name: "LatencyHigh" });
    expect(sameNoId!.request).toBe(noId!.request);
    expect(sameNoId!.fingerprint).toBe(noId!.fingerprint);
    // Naming the model version (a generic alert's `version`), which must be the live one.
    const [named] = await outcomes({ ...one, id: "g-2", version: "v1" });
    expect(named!.outcome).toBe("opened");
    const [notLive] = await outcomes({ ...one, id: "g-3", version: "v5" });
    expect(notLive!.detail).toBe("ignored: fraud-detector v5 is not live in staging (v1 is)");
  });

  it("settings: an alert name set to retrain opens a retraining request; label names are configurable", async () => {
    const ada = await as("ada@example.com");
    await updateMonitoringSettings(ada, {
      modelLabel: "service",
      versionLabel: "release",
      environmentLabel: "env",
      defaultAction: "rollback",
      actions: { ModelDrift: "retrain" },
    });
    try {
      const [result] = await outcomes(
        alertmanager([
          {
            fingerprint: "fp-retrain",
            labels: { alertname: "ModelDrift", service: "fraud-detector", release: "v1", env: "staging" },
          },
        ]),
      );
      expect(result).toMatchObject({ outcome: "opened", action: "retrain" });
      const [request] = await t().db.select().from(changeRequests).where(eq(changeRequests.number, result!.request!));
      expect(request!.title).toBe("Retrain fraud-detector v1 in staging: ModelDrift firing");
      const page = await readMonitoringPage(ada);
      expect(page.settings.actions).toEqual({ ModelDrift: "retrain" });
      expect(page.recent.some((r) => r.fingerprint === "fp-retrain" && r.outcome === "opened")).toBe(true);
    } finally {
      await updateMonitoringSettings(ada, {});
    }
  });

  it("settings are for admins; bad settings are refused at the field", async () => {
    await expectStatus(updateMonitoringSettings(await as("lee@example.com"), {}), 403);
    await expectStatus(readMonitoringPage(await as("lee@example.com")), 403);
    const bad = await expectStatus(
      updateMonitoringSettings(await as("ada@example.com"), { modelLabel: "not a label", actions: { X: "delete" } }),
      400,
    );
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["actions", "modelLabel"]);
    // The admin form sends the per-alert actions as lines of text.
    const lines = await updateMonitoringSettings(await as("ada@example.com"), {
      actions: "HighErrorRate: rollback\nModelDrift = Retrain\n",
    });
    expect(lines.actions).toEqual({ HighErrorRate: "rollback", ModelDrift: "retrain" });
    const badLine = await expectStatus(
      updateMonitoringSettings(await as("ada@example.com"), { actions: "ModelDrift" }),
      400,
    );
    expect(badLine.fieldErrors).toEqual({ actions: [expect.stringContaining("ModelDrift")] });
    await updateMonitoringSettings(await as("ada@example.com"), {});
  });

  it("refuses callers who are not admins or ML leads, and callers with no token", async () => {
    const body = alertmanager([{ fingerprint: "fp-refused" }]);
    expect((await post(body, requester)).status).toBe(403);
    expect((await post(body, "")).status).toBe(401); // no Authorization header
    expect(await requestsFor("fp-refused")).toHaveLength(0);
  });

  it("approving the rollback an alert opened never vouches for the bad version: no receipt, and the gate stays shut once it is rolled back", async () => {
    // v2 goes live in staging over v1, then misbehaves.
    const alice = await as("alice@example.com");
    const leeCtx = await as("lee@example.com");
    const { number: ship } = await createRequest(alice, {
      model: "fraud-detector",
      version: "v2",
      environment: "staging",
      title: "Ship v2 to staging",
    });
    await submitRequest(alice, { number: ship });
    await decide(leeCtx, { number: ship, decision: "approve" });
    await markDeployed(alice, { number: ship });
    const v2 = {
      fingerprint: "fp-v2",
      labels: { alertname: "HighErrorRate", model: "fraud-detector", environment: "staging" },
    };
    const [opened] = await outcomes(alertmanager([v2]));
    expect(opened).toMatchObject({ outcome: "opened", action: "rollback" });
    const [request] = await t().db.select().from(changeRequests).where(eq(changeRequests.number, opened!.request!));
    expect(request!.title).toBe("Roll back fraud-detector v2 in staging: HighErrorRate firing");
    await decide(leeCtx, { number: opened!.request!, decision: "approve" });
    expect(await t().db.select().from(receipts).where(eq(receipts.requestId, request!.id))).toHaveLength(0);
    await rollBack(alice, { model: "fraud-detector", environment: "staging", note: "HighErrorRate on v2" });
    const answer = await gate(t().db, { model: "fraud-detector", version: "v2", environment: "staging" });
    expect(answer.allowed).toBe(false);
    // v1 is live again: the alert link on v2 stays with its request, and v1 alerts are new alerts.
    const [onV1] = await outcomes(alertmanager([{ ...v2, fingerprint: "fp-v2-after" }]));
    expect(onV1!.detail).toMatch(/^opened CR-\d+$/);
  });

  it("bad payloads are a 400 with field errors, and nothing is handled", async () => {
    const wrongVersion = await post({ ...alertmanager([{ fingerprint: "fp-bad" }]), version: "3" });
    expect(wrongVersion.status).toBe(400);
    expect(wrongVersion.type).toContain("application/problem+json");
    expect(JSON.stringify(wrongVersion.body)).toContain("version");
    const tooMany = await post(alertmanager(Array.from({ length: 101 }, (_, i) => ({ fingerprint: `fp-many-${i}` }))));
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body)).toContain("max_alerts");
    const noFingerprint = alertmanager([{ fingerprint: "" }]);
    expect((await post(noFingerprint)).status).toBe(400);
    const genericBad = await post({ name: "X", status: "exploded", model: "fraud-detector", environment: "staging" });
    expect(genericBad.status).toBe(400);
    expect(JSON.stringify(genericBad.body)).toContain("status");
    expect((await post("not an object")).status).toBe(400);
    expect(await requestsFor("fp-bad")).toHaveLength(0);
    expect(await requestsFor("fp-many-0")).toHaveLength(0);
  });

  it("an alert whose request the rules refuse (no ML lead left to approve it) is answered as ignored with the reason", async () => {
    const ada = await as("ada@example.com");
    const lee = await userId(t().db, "lee@example.com");
    await deactivateUser(ada, { userId: lee });
    try {
      const [result] = await outcomes(alertmanager([{ fingerprint: "fp-nobody" }]), admin);
      expect(result!.outcome).toBe("ignored");
      expect(result!.detail).toMatch(/^ignored: .*ML lead/i);
      expect(await requestsFor("fp-nobody")).toHaveLength(0);
      const logged = await t()
        .db.select()
        .from(monitoringAlertLog)
        .where(eq(monitoringAlertLog.fingerprint, "fp-nobody"));
      expect(logged.map((l) => l.outcome)).toEqual(["ignored"]);
    } finally {
      await reactivateUser(ada, { userId: lee });
    }
  });
});
