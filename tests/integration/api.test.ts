import type { Session } from "next-auth";
import { beforeAll, expect, it, vi } from "vitest";
import { decide } from "../../lib/requests/decide";
import { createRequest } from "../../lib/requests/create-request";
import { submitRequest } from "../../lib/requests/submit-request";
import { describeDb } from "../support/database";
import { actorFor } from "../support/fixtures";
import { addPeople, seedRegistry } from "../support/registry";
import { createToken } from "../../lib/tokens/create-token";
import { revokeToken } from "../../lib/tokens/revoke-token";
import { deactivateUser } from "../../lib/users/deactivate-user";
import { callRoute, type CallOptions, type Handler } from "../support/routes";

// REST API v1 as CI would call it: bearer tokens, JSON in and out, problem+json on errors. (The policy
// editor and the new-request preview are server actions: called with a session where they are tested.)
const state = vi.hoisted(() => ({ db: null as unknown, session: null as Session | null }));
vi.mock("../../lib/session/config", () => ({ auth: async () => state.session, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const models = await import("../../app/api/v1/models/route");
const versions = await import("../../app/api/v1/models/[name]/versions/route");
const version = await import("../../app/api/v1/models/[name]/versions/[version]/route");
const requests = await import("../../app/api/v1/requests/route");
const one = await import("../../app/api/v1/requests/[number]/route");
const submit = await import("../../app/api/v1/requests/[number]/submit/route");
const decisionsRoute = await import("../../app/api/v1/requests/[number]/decisions/route");
const commentsRoute = await import("../../app/api/v1/requests/[number]/comments/route");
const deployed = await import("../../app/api/v1/requests/[number]/deployed/route");
const gateRoute = await import("../../app/api/v1/gate/route");
const budgetsRoute = await import("../../app/api/v1/budgets/route");
const budgetRoute = await import("../../app/api/v1/budgets/[id]/route");
const spendRoute = await import("../../app/api/v1/budgets/[id]/spend/route");
const evaluateRoute = await import("../../app/api/v1/cba/evaluate/route");
const manifestRoute = await import("../../app/api/v1/requests/[number]/manifest/route");
const adminActions = await import("../../app/(app)/admin/actions");
const requestActions = await import("../../app/(app)/requests/actions");

const call = (handler: Handler, opts: CallOptions = {}) => callRoute(handler, "/api/v1/x", opts);

describeDb("REST API v1", (t) => {
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    state.db = t().db;
    await seedRegistry(t().db);
    for (const who of ["alice", "sam", "maya", "lee", "bob", "ada"]) {
      tokens[who] = (
        await createToken({ db: t().db, actor: await actorFor(t().db, `${who}@example.com`) }, { name: "ci" })
      ).token;
    }
  });

  it("401 without a token, with a wrong one, a revoked one, or a deactivated owner's", async () => {
    expect((await call(models.GET)).status).toBe(401);
    const wrong = await call(models.GET, { token: "glt_nope" });
    expect(wrong).toMatchObject({ status: 401, type: "application/problem+json" });
    const extra = await createToken(
      { db: t().db, actor: await actorFor(t().db, "alice@example.com") },
      { name: "temp" },
    );
    expect((await call(models.GET, { token: extra.token })).status).toBe(200);
    await revokeToken({ db: t().db, actor: await actorFor(t().db, "alice@example.com") }, { tokenId: extra.id });
    expect((await call(models.GET, { token: extra.token })).status).toBe(401);
    const mo = await createToken({ db: t().db, actor: await actorFor(t().db, "mo@example.com") }, { name: "mo" });
    await deactivateUser(
      { db: t().db, actor: await actorFor(t().db, "ada@example.com") },
      { userId: (await actorFor(t().db, "mo@example.com")).id },
    );
    expect((await call(models.GET, { token: mo.token })).status).toBe(401);
  });

  it("every POST answers garbage with 400 problem+json, never 500", async () => {
    const posts: [Handler, Record<string, string>][] = [
      [models.POST, {}],
      [versions.POST, { name: "fraud-detector" }],
      [requests.POST, {}],
      [submit.POST, { number: "abc" }],
      [decisionsRoute.POST, { number: "1001" }],
      [commentsRoute.POST, { number: "1001" }],
      [deployed.POST, { number: "CR-zz" }],
    ];
    for (const [handler, params] of posts) {
      for (const body of ["{", "[1,2]", '"text"', "null", '{"title": 42, "decision": [], "body": {}}']) {
        const res = await call(handler, { token: tokens.alice, method: "POST", body, params });
        expect(res.status, `${JSON.stringify(params)} ${body}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${JSON.stringify(params)} ${body}`).toBeLessThan(500);
        expect(res.type).toBe("application/problem+json");
      }
    }
  });

  it("models and versions: list, register, field errors for bad JSON and duplicate labels, 404", async () => {
    const list = await call(models.GET, { token: tokens.alice });
    expect(list.body.models.map((m: { name: string }) => m.name)).toContain("fraud-detector");
    const fraud = (await t().sql`select id from teams where name = 'Fraud'`)[0]!.id as string;
    expect(
      (
        await call(models.POST, {
          token: tokens.alice,
          method: "POST",
          body: JSON.stringify({ name: "churn", teamId: fraud }),
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call(models.POST, {
          token: tokens.alice,
          method: "POST",
          body: JSON.stringify({ name: "churn", teamId: fraud }),
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await call(models.POST, {
          token: tokens.sam,
          method: "POST",
          body: JSON.stringify({ name: "x-model", teamId: fraud }),
        })
      ).status,
    ).toBe(403);
    const good = {
      version: "v1",
      sourceUri: "s3://churn/v1",
      framework: "sklearn",
      hyperparameters: { C: 1 },
      datasetName: "users",
      datasetVersion: "2026-11",
      metrics: { f1: 0.8 },
    };
    expect(
      (
        await call(versions.POST, {
          token: tokens.alice,
          method: "POST",
          body: JSON.stringify(good),
          params: { name: "churn" },
        })
      ).status,
    ).toBe(201);
    const dup = await call(versions.POST, {
      token: tokens.alice,
      method: "POST",
      body: JSON.stringify(good),
      params: { name: "churn" },
    });
    expect(dup.status).toBe(400);
    expect(dup.body.errors.version[0]).toMatch(/already has a version v1/);
    const badJson = await call(versions.POST, {
      token: tokens.alice,
      method: "POST",
      body: JSON.stringify({ ...good, version: "v2", hyperparameters: "{not json" }),
      params: { name: "churn" },
    });
    expect(badJson.status).toBe(400);
    expect(badJson.body.errors.hyperparameters[0]).toMatch(/JSON object/);
    expect(
      (await call(version.GET, { token: tokens.alice, params: { name: "churn", version: "v1" } })).body,
    ).toMatchObject({ version: "v1", metrics: { f1: 0.8 } });
    expect((await call(version.GET, { token: tokens.alice, params: { name: "churn", version: "v9" } })).status).toBe(
      404,
    );
    expect((await call(versions.GET, { token: tokens.alice, params: { name: "nope" } })).status).toBe(404);
  });

  it("requests: create, submit, decide in order, comment, and the gate answers 403 then 200", async () => {
    const gateQuery = "?model=fraud-detector&version=v3&environment=production";
    expect((await call(gateRoute.GET, { token: tokens.lee, query: gateQuery })).status).toBe(403);
    expect((await call(gateRoute.GET, { token: tokens.lee, query: "?model=fraud-detector" })).status).toBe(400);

    const created = await call(requests.POST, {
      token: tokens.alice,
      method: "POST",
      body: JSON.stringify({
        kind: "deployment",
        title: "Ship v3",
        description: "**Why**",
        model: "fraud-detector",
        version: "v3",
        environment: "production",
        risk: "medium",
        emergency: false,
      }),
    });
    expect(created.status).toBe(201);
    const number = created.body.number as string;
    expect(number).toMatch(/^CR-\d+$/);
    const params = { number };
    expect((await call(submit.POST, { token: tokens.maya, method: "POST", params })).status).toBe(403);
    const submitted = await call(submit.POST, { token: tokens.alice, method: "POST", params });
    expect(submitted.status).toBe(200);
    expect(
      submitted.body.request.steps.map(
        (s: { role: string; quorum: number; status: string }) => `${s.role}x${s.quorum}:${s.status}`,
      ),
    ).toEqual(["managerx1:pending", "securityx1:pending", "ml_leadx1:pending"]);

    const decideAs = (who: string, body: object) =>
      call(decisionsRoute.POST, { token: tokens[who], method: "POST", params, body: JSON.stringify(body) });
    expect((await decideAs("alice", { decision: "approve" })).status).toBe(403);
    expect((await decideAs("lee", { decision: "approve" })).status).toBe(409);
    expect((await decideAs("sam", { decision: "reject" })).status).toBe(400);
    expect((await decideAs("sam", { decision: "approve" })).status).toBe(201);
    expect((await decideAs("sam", { decision: "approve" })).status).toBe(409);
    expect((await decideAs("maya", { decision: "approve", comment: "ok" })).status).toBe(201);
    expect((await call(deployed.POST, { token: tokens.alice, method: "POST", params })).status).toBe(409);
    const final = await decideAs("lee", { decision: "approve" });
    expect(final.body.request).toMatchObject({ status: "approved", revision: 1 });

    const detail = await call(one.GET, { token: tokens.bob, params });
    expect(
      detail.body.steps.every(
        (s: { approvals: number; quorum: number; status: string }) =>
          s.status === "approved" && s.approvals === s.quorum,
      ),
    ).toBe(true);
    expect((await call(one.GET, { token: tokens.bob, params: { number: "CR-999999" } })).status).toBe(404);
    expect(
      (
        await call(commentsRoute.POST, {
          token: tokens.bob,
          method: "POST",
          params,
          body: JSON.stringify({ body: "nice" }),
        })
      ).status,
    ).toBe(201);

    const open = await call(gateRoute.GET, { token: tokens.lee, query: gateQuery });
    expect(open).toMatchObject({ status: 200, body: { allowed: true, request: { number } } });
    expect((await call(deployed.POST, { token: tokens.alice, method: "POST", params })).status).toBe(200);
    const listed = await call(requests.GET, { token: tokens.alice, query: `?q=${number}` });
    expect(listed.body.requests).toHaveLength(1);
    expect(listed.body.requests[0]).toMatchObject({ number, status: "deployed" });
  });

  it("the CBA calculator: worked case 1 with t = 0 undiscounted, several IRRs, field errors", async () => {
    const evaluate = (body: unknown, token = tokens.alice) =>
      call(evaluateRoute.POST, { token, method: "POST", body: JSON.stringify(body) });
    expect((await call(evaluateRoute.POST, { method: "POST", body: "{}" })).status).toBe(401);
    const worked = await evaluate({
      currency: "USD",
      discountRate: "0.10",
      period: "year",
      cashFlows: ["-100000", "40000", "40000", "40000"],
    });
    expect(worked).toMatchObject({
      status: 200,
      body: { npv: "-525.92", irr: ["0.097010"], paybackPeriods: "2.50", discountedPaybackPeriods: null },
    });
    const twoRoots = await evaluate({
      currency: "USD",
      discountRate: "0.15",
      period: "year",
      cashFlows: ["-100", "230", "-132"],
    });
    expect(twoRoots.body.irr).toEqual(["0.100000", "0.200000"]);
    expect(twoRoots.body.warnings.join(" ")).toMatch(/IRR/);
    const none = await evaluate({
      currency: "USD",
      discountRate: "0.1",
      period: "year",
      cashFlows: ["100", "50", "50"],
    });
    expect(none.body).toMatchObject({ irr: [] });
    const bad = await evaluate({ currency: "ABC", discountRate: "lots", period: "week", cashFlows: ["1", "x"] });
    expect(bad).toMatchObject({ status: 400, type: "application/problem+json" });
    expect(Object.keys(bad.body.errors).sort()).toEqual(["cashFlows.1", "currency", "discountRate", "period"]);
    expect((await call(evaluateRoute.POST, { token: tokens.alice, method: "POST", body: "[1,2" })).status).toBe(400);
  });

  it("budgets and spend over the API; a request's cost in its JSON and editable with PATCH", async () => {
    const fraud = (await t().sql`select id from teams where name = 'Fraud'`)[0]!.id as string;
    const create = (token: string | undefined, body: object) =>
      call(budgetsRoute.POST, { token, method: "POST", body: JSON.stringify(body) });
    const month = {
      teamId: fraud,
      interval: "month",
      periodStart: new Date().toISOString().slice(0, 8) + "01",
      currency: "USD",
      amount: "20000",
    };
    expect((await create(tokens.alice, month)).status).toBe(403);
    expect((await create(tokens.maya, { ...month, currency: "??" })).status).toBe(400);
    const made = await create(tokens.maya, month);
    expect(made).toMatchObject({ status: 201, body: { currency: "USD", amountMinor: 2_000_000 } });
    expect((await create(tokens.maya, { ...month, amount: "25000" })).status).toBe(200);
    const params = { id: made.body.id };
    const spend = (token: string | undefined, body: object) =>
      call(spendRoute.POST, { token, method: "POST", params, body: JSON.stringify(body) });
    expect((await spend(tokens.lee, { amount: "10", spentOn: month.periodStart, description: "x" })).status).toBe(403);
    expect((await spend(tokens.maya, { amount: "10", spentOn: "1999-01-01", description: "Too old" })).status).toBe(
      400,
    );
    expect(
      (await spend(tokens.maya, { amount: "12500.00", spentOn: month.periodStart, description: "Cloud invoice" })).body,
    ).toMatchObject({ amountMinor: 1_250_000, alerts: expect.arrayContaining([{ basis: "actual", threshold: 50 }]) });
    const listed = await call(budgetsRoute.GET, { token: tokens.maya });
    expect(listed.body.budgets[0]).toMatchObject({
      team: "Fraud",
      amount: "25000.00",
      spent: "12500.00",
      remaining: "12500.00",
    });
    expect((await call(budgetRoute.GET, { token: tokens.maya, params })).body.spend).toHaveLength(1);
    expect((await call(budgetRoute.GET, { token: tokens.alice, params })).status).toBe(403);
    expect((await call(budgetRoute.GET, { token: tokens.maya, params: { id: "nope" } })).status).toBe(404);

    const filed = await call(requests.POST, {
      token: tokens.alice,
      method: "POST",
      body: JSON.stringify({ model: "fraud-detector", version: "v5", environment: "staging", title: "With a CBA" }),
    });
    const number = filed.body.number;
    const analysis = {
      currency: "USD",
      assumptions: { discountRate: "0.10", period: "year", horizon: 3 },
      costs: [
        {
          description: "Build",
          category: "people",
          recurrence: "one_off",
          quantity: "1",
          unit: "project",
          unitPrice: "100000",
          priceSource: "estimate",
        },
      ],
      benefits: [
        {
          description: "Fraud losses avoided",
          amountPerPeriod: "40000",
          periods: 3,
          startPeriod: 1,
          confidence: "medium",
          monetised: true,
        },
      ],
    };
    const patched = await call(one.PATCH, {
      token: tokens.alice,
      method: "PATCH",
      params: { number: String(number) },
      body: JSON.stringify({ costBenefit: analysis }),
    });
    expect(patched.status).toBe(200);
    expect(patched.body.cost).toMatchObject({ currency: "USD", totalCostMinor: 10_000_000, totalCost: "100000.00" });
    const expected = patched.body.cost.analysis.scenarios.find((s: { name: string }) => s.name === "expected");
    expect(expected).toMatchObject({ npv: "-525.92", irr: ["0.097010"], paybackPeriods: "2.50" });
    expect(
      (
        await call(one.PATCH, {
          token: tokens.bob,
          method: "PATCH",
          params: { number: String(number) },
          body: JSON.stringify({ title: "Mine now" }),
        })
      ).status,
    ).toBe(403);
    const bad = await call(one.PATCH, {
      token: tokens.alice,
      method: "PATCH",
      params: { number: String(number) },
      body: JSON.stringify({ costBenefit: { ...analysis, currency: "JPYX" } }),
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors)).toEqual(["costBenefit.currency"]);
  });

  it("GET /api/v1/budgets reads ?team= through zod: a bad id is a 400 with a field error, not an empty list", async () => {
    const fraud = (await t().sql`select id from teams where name = 'Fraud'`)[0]!.id as string;
    const bad = await call(budgetsRoute.GET, { token: tokens.maya, query: "?team=fraud" });
    expect(bad).toMatchObject({
      status: 400,
      type: "application/problem+json",
      body: { errors: { team: [expect.any(String)] } },
    });
    const narrowed = await call(budgetsRoute.GET, { token: tokens.ada, query: `?team=${fraud}` });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.budgets.map((b: { team: string }) => b.team)).toEqual(["Fraud"]);
    const other = await call(budgetsRoute.GET, { token: tokens.maya, query: `?team=${crypto.randomUUID()}` });
    expect(other).toMatchObject({ status: 200, body: { budgets: [] } });
    expect((await call(budgetsRoute.GET, { token: tokens.maya, query: "?team=" })).body.budgets).toHaveLength(1);
    // Who may see budgets is asked first: a requester is refused whatever the query says.
    expect((await call(budgetsRoute.GET, { token: tokens.alice, query: "?team=fraud" })).status).toBe(403);
  });

  it("a dependency manifest over the API: upload with line errors reported, read back with the review; refusals", async () => {
    const filed = await call(requests.POST, {
      token: tokens.alice,
      method: "POST",
      body: JSON.stringify({
        model: "fraud-detector",
        version: "v6",
        environment: "production",
        title: "Manifest over the API",
      }),
    });
    const params = { number: String(filed.body.number) };
    expect((await call(manifestRoute.GET, { token: tokens.alice, params })).status).toBe(404);
    const upload = (token: string | undefined, body: object) =>
      call(manifestRoute.POST, { token, method: "POST", params, body: JSON.stringify(body) });
    expect((await upload(tokens.bob, { fileName: "requirements.txt", content: "numpy==1.26.4" })).status).toBe(403);
    const bad = await upload(tokens.alice, { fileName: "requirements.txt", content: "" });
    expect(bad).toMatchObject({ status: 400, body: { errors: { content: expect.any(Array) } } });
    const ok = await upload(tokens.alice, {
      fileName: "requirements.txt",
      content: "numpy==1.26.4\ntorch==2.1.0+cu118 ; python_version >= '3.9'\n!!nonsense",
    });
    expect(ok).toMatchObject({
      status: 201,
      body: { format: "requirements", dependencies: 2, errors: [{ line: 3 }], approvalsReset: false },
    });
    const read = await call(manifestRoute.GET, { token: tokens.sam, params });
    expect(
      read.body.dependencies.map(
        (d: { normalizedName: string; pinnedVersion: string; markerResult: string | null }) =>
          `${d.normalizedName} ${d.pinnedVersion} ${d.markerResult}`,
      ),
    ).toEqual(["numpy 1.26.4 null", "torch 2.1.0+cu118 true"]);
  });

  /** Runs a server action as this demo person's session. */
  const asSession = async <T>(email: string, action: () => Promise<T>) => {
    const actor = await actorFor(t().db, email);
    state.session = { user: { ...actor }, expires: new Date(Date.now() + 3_600_000).toISOString() } as Session;
    try {
      return await action();
    } finally {
      state.session = null;
    }
  };

  it("a chain that could never complete: the policy editor refuses it, the preview warns, submitting is a 409 with the reason", async () => {
    const form = new FormData();
    form.set("name", "Two lead reviews");
    form.set("active", "on");
    form.set(
      "stages",
      JSON.stringify([
        [{ name: "Security look", role: "security", scope: "any", quorum: 1, slaHours: 24 }],
        [{ name: "ML lead review", role: "ml_lead", scope: "any", quorum: 2, slaHours: 24 }],
      ]),
    );
    const saved = await asSession("ada@example.com", () => adminActions.savePolicyAction(form));
    expect(saved).toMatchObject({
      ok: false,
      status: 400,
      fieldErrors: {
        "definition.stages.1.0.quorum": [
          "Stage 2 · ML lead review needs 2 ML leads; the organisation has 1 (Lee Tanaka)",
        ],
        "definition.stages": ["Stage 2 · ML lead review needs 2 ML leads; the organisation has 1 (Lee Tanaka)"],
      },
    });
    const emergency = {
      kind: "deployment",
      title: "Hotfix",
      model: "fraud-detector",
      version: "v1",
      environment: "production",
      risk: "low",
      emergency: true,
    };
    const preview = await asSession("alice@example.com", () => requestActions.previewChainAction(emergency));
    expect(preview).toMatchObject({
      ok: true,
      data: {
        risk: { effective: "high", raisedBy: "High risk: an emergency change; declared low" },
        warnings: [
          "Stage 2 · ML lead approval needs 2 ML leads; the organisation has 1 (Lee Tanaka): submitting would be refused until an admin fixes this.",
        ],
      },
    });
    const created = await call(requests.POST, { token: tokens.alice, method: "POST", body: JSON.stringify(emergency) });
    const params = { number: created.body.number as string };
    const refused = await call(submit.POST, { token: tokens.alice, method: "POST", params });
    expect(refused).toMatchObject({
      status: 409,
      type: "application/problem+json",
      body: {
        detail: `${params.number} cannot go for approval: its chain could never complete. Stage 2 · ML lead approval needs 2 ML leads; the organisation has 1 (Lee Tanaka). Ask an admin to give the role to more people or to change the policy.`,
      },
    });
    const detail = await call(one.GET, { token: tokens.sam, params });
    expect(detail.body).toMatchObject({
      status: "draft",
      risk: "low",
      effectiveRisk: "high",
      riskFactors: [
        { fact: "a deployment to a protected environment (production)", risk: "medium" },
        { fact: "an emergency change", risk: "high" },
      ],
      steps: [],
    });
  });

  it("step evidence over the API: the team's budget figures for its managers, admins and the requester; a redacted reason for the rest", async () => {
    // This month's Fraud budget (set above) has $12,500 left: one GPU for a month ($1,825) passes by itself.
    const filed = await call(requests.POST, {
      token: tokens.alice,
      method: "POST",
      body: JSON.stringify({
        model: "fraud-detector",
        version: "v4",
        environment: "staging",
        title: "A GPU for staging",
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
            priceDate: new Date().toISOString().slice(0, 10),
          },
        ],
      }),
    });
    const params = { number: filed.body.number as string };
    expect((await call(submit.POST, { token: tokens.alice, method: "POST", params })).status).toBe(200);
    for (const who of ["alice", "maya", "ada"]) {
      const read = await call(one.GET, { token: tokens[who], params });
      const seen = read.body.steps.find((s: { status: string }) => s.status === "auto_passed");
      expect(seen.reason, who).toMatch(/^Within the team's .+ budget: costs \$1,825\.00, /);
      expect(seen.evidence, who).toMatchObject({ costMinor: 182_500, remainingBeforeMinor: expect.any(Number) });
    }
    // Security, the ML lead and another team's requester (Search's manager was deactivated above).
    for (const token of [tokens.sam!, tokens.lee!, tokens.bob!]) {
      const read = await call(one.GET, { token, params });
      const step = read.body.steps.find((s: { status: string }) => s.status === "auto_passed");
      expect(step).toMatchObject({ reason: "Within the team's budget", evidence: null });
      expect(JSON.stringify(read.body.steps)).not.toMatch(/Minor|\$1,825/);
    }
  });

  it("the gate stays closed for an emergency whose retro-approval is overdue, with the reason", async () => {
    await addPeople(t().db, "lead", 1, "ml_lead"); // an emergency is high risk: two ML leads
    const then = new Date(Date.now() - 72 * 3_600_000);
    const alice = { db: t().db, actor: await actorFor(t().db, "alice@example.com"), now: then };
    const { number } = await createRequest(alice, {
      model: "fraud-detector",
      version: "v7",
      environment: "production",
      title: "Hotfix, three days ago",
      emergency: true,
    });
    await submitRequest(alice, { number });
    const lee = {
      db: t().db,
      actor: await actorFor(t().db, "lee@example.com"),
      now: new Date(then.getTime() + 3_600_000),
    };
    await decide(lee, { number, decision: "approve" });
    const due = new Date(then.getTime() + 49 * 3_600_000).toISOString();
    const answer = await call(gateRoute.GET, {
      token: tokens.lee,
      query: "?model=fraud-detector&version=v7&environment=production",
    });
    expect(answer).toMatchObject({
      status: 403,
      body: {
        allowed: false,
        reason: `CR-${number}'s retro-approval was due at ${due}; the gate stays closed until the chain completes.`,
      },
    });
  });
});
