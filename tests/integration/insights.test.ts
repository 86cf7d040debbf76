import { eq } from "drizzle-orm";
import type { Session } from "next-auth";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { notifications, teams } from "../../db/schema";
import { setBudget } from "../../lib/budgets/set-budget";
import { median, p90 } from "../../lib/insights/figures";
import {
  readAutoPass,
  readBudgetFigures,
  readLeadTime,
  readRework,
  readSla,
  readStepWaits,
} from "../../lib/insights/queries";
import { previousWeek, sendWeeklyInsights } from "../../lib/insights/weekly-digest";
import { createModel } from "../../lib/models/create-model";
import { registerVersion } from "../../lib/models/register-version";
import { chaseOverdue } from "../../lib/requests/chase-overdue";
import { createRequest } from "../../lib/requests/create-request";
import { decide } from "../../lib/requests/decide";
import { markDeployed } from "../../lib/requests/mark-deployed";
import { submitRequest } from "../../lib/requests/submit-request";
import { updateRequest } from "../../lib/requests/update-request";
import { createToken } from "../../lib/tokens/create-token";
import { describeDb } from "../support/database";
import { actorFor, expectStatus } from "../support/fixtures";
import { artifactDigestOf, seedRegistry } from "../support/registry";
import { callRoute, type Handler } from "../support/routes";

const state = vi.hoisted(() => ({ db: null as unknown, session: null as Session | null }));
vi.mock("../../lib/session/config", () => ({ auth: async () => state.session, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const leadTimeRoute = await import("../../app/api/v1/insights/lead-time/route");
const stepsRoute = await import("../../app/api/v1/insights/steps/route");
const reworkRoute = await import("../../app/api/v1/insights/rework/route");
const requestRoute = await import("../../app/api/v1/requests/[number]/route");

// A history at known times (a controllable clock: every verb and read gets its `now`). T0 is a
// Monday; the model versions were registered two days before.
const T0 = new Date("2031-05-05T08:00:00Z");
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const NOW = at(170);
const MAY = { from: "2031-05-01", to: "2031-05-31" };

describeDb("insights: where requests wait, for whom, how long", (t) => {
  const numbers: Record<string, number> = {};
  let fraudId = "";
  let searchId = "";
  const as = async (email: string, now: Date) => ({ db: t().db, actor: await actorFor(t().db, email), now });
  const reader = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email), now: NOW });

  beforeAll(async () => {
    state.db = t().db;
    await seedRegistry(t().db);
    fraudId = (await t().db.select().from(teams).where(eq(teams.name, "Fraud")))[0]!.id;
    searchId = (await t().db.select().from(teams).where(eq(teams.name, "Search")))[0]!.id;
    const alice = (h: number) => as("alice@example.com", at(h));
    await createModel(await alice(-48), { name: "insight-model", teamId: fraudId });
    for (const version of ["v1", "v2", "v3", "v4"])
      await registerVersion(await alice(-48), {
        model: "insight-model",
        version,
        sourceUri: `s3://m/${version}`,
        artifactDigest: artifactDigestOf(version, "insight-model"),
        framework: "xgboost",
        hyperparameters: {},
        datasetName: "tx",
        datasetVersion: "1",
        metrics: {},
      });
    await setBudget(await as("maya@example.com", at(0)), {
      teamId: fraudId,
      interval: "month",
      periodStart: "2031-05-01",
      currency: "USD",
      amount: "50000",
    });
    const file = async (name: string, version: string, environment: "staging" | "production", h: number) => {
      const { number } = await createRequest(await alice(h), {
        model: "insight-model",
        version,
        environment,
        title: `Request ${name}`,
      });
      numbers[name] = number;
      await submitRequest(await alice(h), { number });
      return number;
    };
    const approve = async (who: string, number: number, h: number) =>
      decide(await as(`${who}@example.com`, at(h)), { number, decision: "approve" });

    // A: production; security waits 10 h, the manager 4 h, then the ML lead 2 h; deployed 8 h later.
    const a = await file("A", "v1", "production", 0);
    await approve("maya", a, 4);
    await approve("sam", a, 10);
    await approve("lee", a, 12);
    await markDeployed(await alice(20), { number: a });
    // D: staging, submitted at +2 h; the ML lead decides 3 h later.
    const d = await file("D", "v4", "staging", 2);
    await approve("lee", d, 5);
    // E: one GPU for a month ($1,825) fits the $50,000 budget: the budget step passes by itself.
    const { number: e } = await createRequest(await alice(3), {
      kind: "provisioning",
      environment: "staging",
      title: "Request E",
      currency: "USD",
      provisioning: [
        {
          instanceType: "p4d.24xlarge",
          gpuType: "A100",
          gpuCount: 1,
          nodes: 1,
          months: 1,
          pricingModel: "on_demand",
          pricePerHour: "2.50",
          priceSource: "AWS price list",
          priceDate: "2031-05-01",
        },
      ],
    });
    numbers.E = e;
    await submitRequest(await alice(3), { number: e });
    // B: the manager 6 h, security 30 h, the ML lead 1 h.
    const b = await file("B", "v2", "production", 24);
    await approve("maya", b, 30);
    await approve("sam", b, 54);
    await approve("lee", b, 55);
    // C: the manager approves after 2 h; security is chased (two reminders and an escalation at
    // +145 h) and asks for changes after 98 h; the edit resets the manager's approval; resubmitted
    // at +148 h, both first-stage steps wait again.
    const c = await file("C", "v3", "production", 48);
    await approve("maya", c, 50);
    await chaseOverdue(t().db, at(145));
    await decide(await as("sam@example.com", at(146)), {
      number: c,
      decision: "request_changes",
      comment: "Attach the scan.",
    });
    await updateRequest(await alice(147), { number: c, description: "Scan attached." });
    await submitRequest(await alice(148), { number: c });
  });

  it("lead time: median and p90 of each leg, overall and per week of submission", async () => {
    const figures = await readLeadTime(await reader("lee@example.com"), MAY);
    expect(figures.requests).toBe(5);
    // Registered at -48 h; submitted at 0 (A), 24 (B), 148 (C, resubmitted), 2 (D); E has no model version.
    expect(figures.registeredToSubmitted).toEqual({
      requests: 4,
      medianHours: median([48, 72, 196, 50]),
      p90Hours: p90([48, 72, 196, 50]),
    });
    expect(figures.registeredToSubmitted.medianHours).toBe(61);
    expect(figures.registeredToSubmitted.p90Hours).toBe(158.8);
    // Approved: A after 12 h, B 31 h, D 3 h, E at once.
    expect(figures.submittedToApproved).toEqual({ requests: 4, medianHours: 7.5, p90Hours: 25.3 });
    expect(figures.approvedToDeployed).toEqual({ requests: 1, medianHours: 8, p90Hours: 8 });
    expect(figures.registeredToDeployed).toEqual({ requests: 1, medianHours: 68, p90Hours: 68 });
    // +148 h is Sunday 11 May: every request falls in the week of Monday 5 May.
    expect(figures.weeks).toHaveLength(1);
    expect(figures.weeks[0]).toMatchObject({ weekStart: "2031-05-05", requests: 5 });
    expect(figures.weeks[0]!.submittedToApproved.medianHours).toBe(7.5);
  });

  it("steps: waits per role and per step, open steps' ages, and the bottleneck in one sentence", async () => {
    const figures = await readStepWaits(await reader("ada@example.com"), MAY);
    const role = (r: string) => figures.roles.find((x) => x.role === r)!;
    // Security: 10, 30, 98 decided; 22 h open (C's second revision, opened at +148 h).
    expect(role("security")).toMatchObject({
      decidedSteps: 3,
      medianWaitHours: 30,
      p90WaitHours: 84.4,
      openSteps: 1,
      openMedianAgeHours: 22,
      oldestOpenAgeHours: 22,
      waitingHours: 160,
    });
    expect(role("manager")).toMatchObject({
      decidedSteps: 3,
      medianWaitHours: 4,
      p90WaitHours: 5.6,
      openSteps: 1,
      waitingHours: 34,
    });
    expect(role("ml_lead")).toMatchObject({ decidedSteps: 3, medianWaitHours: 2, p90WaitHours: 2.8, openSteps: 0 });
    expect(figures.steps.map((s) => [s.step, s.decidedSteps, s.medianWaitHours, s.waitingHours])).toEqual([
      ["Security review", 3, 30, 160],
      ["Manager sign-off", 3, 4, 34],
      ["ML lead approval", 2, 1.5, 3],
      ["ML lead review", 1, 3, 3],
    ]);
    expect(figures.overall).toMatchObject({ decidedSteps: 9, openSteps: 2, waitingHours: 200, medianWaitHours: 4 });
    // 160 of 200 hours.
    expect(figures.bottleneck).toEqual({
      step: "Security review",
      sharePercent: 80,
      medianWaitHours: 30,
      sentence: "Security review holds 80% of waiting time; median 30.0 hours.",
    });
  });

  it("SLA: breaches per role and team, reminders, escalations and decisions after escalation", async () => {
    const figures = await readSla(await reader("ada@example.com"), MAY);
    // Only C's first security step outran its 48 h: reminded twice (one catch-up), escalated once, decided after.
    expect(figures.overall).toEqual({
      steps: 11,
      breaches: 1,
      breachPercent: 9,
      remindersSent: 2,
      escalations: 1,
      decidedAfterEscalation: 1,
    });
    expect(figures.roles.find((r) => r.role === "security")).toMatchObject({ steps: 4, breaches: 1 });
    expect(figures.roles.find((r) => r.role === "manager")).toMatchObject({ steps: 4, breaches: 0 });
    expect(figures.teams).toEqual([expect.objectContaining({ team: "Fraud", steps: 11, breaches: 1 })]);
  });

  it("rework: changes requested, revisions per request, approvals reset by edits", async () => {
    expect(await readRework(await reader("lee@example.com"), MAY)).toMatchObject({
      requests: 5,
      changesRequested: 1,
      requestsWithChangesRequested: 1,
      requestsRevised: 1,
      revisionsPerRequestMean: 1.2,
      revisionsPerRequestMedian: 1,
      revisionsPerRequestMax: 2,
      approvalsReset: 1,
      requestsWithApprovalsReset: 1,
    });
  });

  it("auto-pass: the steps passed by rule, and the approver time saved as an estimate from human decisions", async () => {
    const figures = await readAutoPass(await reader("maya@example.com"), MAY);
    expect(figures.byRule).toEqual([
      {
        rule: "within_team_budget",
        role: "manager",
        passedSteps: 1,
        humanMedianWaitHours: 4,
        estimatedSavedHours: 4,
      },
    ]);
    expect(figures).toMatchObject({ passedSteps: 1, humanDecidedSteps: 9, passedPercent: 10, estimatedSavedHours: 4 });
    expect(figures.estimate).toMatch(/^Estimate/);
  });

  it("budgets: committed and spent per team budget, and cost approved per month", async () => {
    const figures = await readBudgetFigures(await reader("maya@example.com"), MAY);
    expect(figures.budgets).toEqual([
      expect.objectContaining({ team: "Fraud", amountMinor: 5_000_000, spentMinor: 0, committedMinor: 182_500 }),
    ]);
    expect(figures.approvedCostPerMonth).toEqual([
      { month: "2031-05", currency: "USD", requests: 1, costMinor: 182_500 },
    ]);
  });

  it("filters narrow every figure: kind, environment, period", async () => {
    const lee = await reader("lee@example.com");
    expect((await readLeadTime(lee, { ...MAY, environment: "staging" })).requests).toBe(2);
    expect((await readLeadTime(lee, { ...MAY, kind: "provisioning" })).requests).toBe(1);
    expect((await readStepWaits(lee, { ...MAY, environment: "staging" })).steps.map((s) => s.step)).toEqual([
      "ML lead review",
    ]);
    expect((await readLeadTime(lee, { from: "2031-06-01", to: "2031-06-30" })).requests).toBe(0);
    // Without dates: the twelve weeks up to the reader's today.
    expect((await readLeadTime(lee, {})).period).toMatchObject({ from: "2031-02-18", to: "2031-05-12" });
    expect((await readLeadTime(lee, {})).requests).toBe(5);
    // Nothing in the period: no figures, no bottleneck, never a division by zero.
    const empty = await readStepWaits(lee, { from: "2030-01-01", to: "2030-01-31" });
    expect(empty.bottleneck).toBeNull();
    expect(empty.overall).toMatchObject({ decidedSteps: 0, medianWaitHours: null, waitingHours: 0 });
  });

  describe("who sees what", () => {
    it("a manager sees their own teams only: another team's figures are refused", async () => {
      const mo = await reader("mo@example.com"); // Search
      const refused = await expectStatus(readStepWaits(mo, { ...MAY, team: fraudId }), 403);
      expect(refused.message).toMatch(/own teams/);
      // Unfiltered, a manager's figures are their teams' (Search has no requests).
      expect((await readLeadTime(mo, MAY)).requests).toBe(0);
      expect((await readLeadTime(mo, { ...MAY, team: searchId })).requests).toBe(0);
      const maya = await reader("maya@example.com"); // Fraud
      expect((await readLeadTime(maya, MAY)).requests).toBe(5);
      // ML leads and admins look across teams, and may narrow to one.
      expect((await readLeadTime(await reader("ada@example.com"), { ...MAY, team: searchId })).requests).toBe(0);
    });

    it("requesters and security reviewers are refused", async () => {
      await expectStatus(readLeadTime(await reader("alice@example.com"), MAY), 403);
      await expectStatus(readSla(await reader("sam@example.com"), MAY), 403);
    });

    it("bad filters are a 400 naming each field", async () => {
      const lee = await reader("lee@example.com");
      const bad = await expectStatus(
        readLeadTime(lee, { from: "2031-02-30", kind: "bogus", environment: "Moon!", team: "nope", format: "xml" }),
        400,
      );
      expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["environment", "format", "from", "kind", "team"]);
      const backwards = await expectStatus(readRework(lee, { from: "2031-05-31", to: "2031-05-01" }), 400);
      expect(backwards.fieldErrors?.to).toEqual(["The end comes on or after the start."]);
      const long = await expectStatus(readRework(lee, { from: "2030-01-01", to: "2031-05-01" }), 400);
      expect(long.fieldErrors?.to).toEqual(["At most 366 days at a time."]);
    });
  });

  it("the weekly digest: last week's headline figures and the bottleneck, once per admin and ML lead", async () => {
    expect(previousWeek(new Date("2031-05-12T07:00:00Z"))).toEqual({ from: "2031-05-05", to: "2031-05-11" });
    expect(previousWeek(new Date("2031-05-18T23:59:00Z"))).toEqual({ from: "2031-05-05", to: "2031-05-11" });
    const monday = new Date("2031-05-12T07:00:00Z");
    const [first, again] = [await sendWeeklyInsights(t().db, monday), await sendWeeklyInsights(t().db, monday)];
    expect(first).toEqual({ sent: 2, week: { from: "2031-05-05", to: "2031-05-11" } });
    expect(again.sent).toBe(0); // a rerun sends nothing twice
    const sent = await t().db.select().from(notifications).where(eq(notifications.template, "weekly-insights"));
    expect(sent.map((n) => n.recipientEmail).sort()).toEqual(["ada@example.com", "lee@example.com"]);
    // C's second revision has waited 19 h by Monday 07:00: 157 of 194 hours are security's.
    expect(sent[0]!.payload).toMatchObject({
      from: "2031-05-05",
      to: "2031-05-11",
      bottleneck: "Security review holds 81% of waiting time; median 30.0 hours.",
      waitingNow: "2 steps, the oldest for 19.0 hours",
      autoPass: "1 step passed by themselves, about 4.0 hours of approver time saved (estimate)",
      url: expect.stringMatching(/\/insights\?from=2031-05-05&to=2031-05-11$/),
    });
    expect(sent[0]!.subject).toBe(
      "Greenlight week of Monday, 5 May 2031: Security review holds 81% of waiting time; median 30.0 hours",
    );
  });

  describe("over the API", () => {
    const tokens: Record<string, string> = {};
    beforeAll(async () => {
      for (const who of ["lee", "mo", "alice"])
        tokens[who] = (
          await createToken({ db: t().db, actor: await actorFor(t().db, `${who}@example.com`) }, { name: "ci" })
        ).token;
    });
    const query = `?from=${MAY.from}&to=${MAY.to}`;

    it("answers the page's figures as JSON, units in the field names", async () => {
      const res = await callRoute(leadTimeRoute.GET as Handler, "/api/v1/insights/lead-time", {
        token: tokens.lee,
        query,
      });
      expect(res.status).toBe(200);
      expect(res.body.submittedToApproved).toEqual({ requests: 4, medianHours: 7.5, p90Hours: 25.3 });
      expect(res.body.period).toEqual({ ...MAY, team: null, kind: null, environment: null });
    });

    it("the figures match a recomputation from the requests' step times (GET /api/v1/requests/{number})", async () => {
      const waits: Record<string, number[]> = {};
      for (const name of ["A", "B", "C", "D", "E"]) {
        const res = await callRoute(requestRoute.GET as Handler, `/api/v1/requests/${numbers[name]}`, {
          token: tokens.lee,
          params: { number: String(numbers[name]) },
        });
        expect(res.status).toBe(200);
        for (const step of [...res.body.steps, ...res.body.earlierRevisionSteps] as {
          name: string;
          status: string;
          openedAt: string | null;
          completedAt: string | null;
        }[]) {
          if (!step.openedAt || !step.completedAt || step.status === "auto_passed") continue;
          (waits[step.name] ??= []).push((Date.parse(step.completedAt) - Date.parse(step.openedAt)) / 3_600_000);
        }
      }
      const res = await callRoute(stepsRoute.GET as Handler, "/api/v1/insights/steps", { token: tokens.lee, query });
      for (const step of res.body.steps as { step: string; decidedSteps: number; medianWaitHours: number }[]) {
        expect(step.decidedSteps).toBe(waits[step.step]!.length);
        expect(step.medianWaitHours).toBe(median(waits[step.step]!));
      }
      expect(Object.keys(waits).sort()).toEqual(res.body.steps.map((s: { step: string }) => s.step).sort());
    });

    it("exports the rows behind a figure as CSV", async () => {
      const res = await stepsRoute.GET(
        new Request(`http://localhost/api/v1/insights/steps${query}&format=csv`, {
          headers: { authorization: `Bearer ${tokens.lee}` },
        }),
        { params: Promise.resolve({}) },
      );
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
      expect(res.headers.get("content-disposition")).toContain("greenlight-steps-2031-05-01-to-2031-05-31.csv");
      const lines = (await res.text()).trimEnd().split("\r\n");
      const header = lines[0]!.split(",");
      expect(header).toEqual(expect.arrayContaining(["groupedBy", "group", "medianWaitHours", "p90WaitHours", "from"]));
      const security = lines.find((l) => l.startsWith("step,Security review,"))!.split(",");
      expect(security[header.indexOf("medianWaitHours")]).toBe("30");
      expect(security[header.indexOf("from")]).toBe("2031-05-01");
      expect(lines.filter((l) => l.startsWith("role,"))).toHaveLength(3);
    });

    it("refuses another team's figures to a manager (403), a requester (403), and bad filters (400)", async () => {
      const other = await callRoute(reworkRoute.GET as Handler, "/api/v1/insights/rework", {
        token: tokens.mo,
        query: `${query}&team=${fraudId}`,
      });
      expect(other.status).toBe(403);
      expect(other.type).toMatch(/problem\+json/);
      expect(
        (await callRoute(reworkRoute.GET as Handler, "/api/v1/insights/rework", { token: tokens.alice, query })).status,
      ).toBe(403);
      const bad = await callRoute(reworkRoute.GET as Handler, "/api/v1/insights/rework", {
        token: tokens.lee,
        query: "?from=yesterday",
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors ?? bad.body.fieldErrors).toHaveProperty("from");
    });
  });
});
