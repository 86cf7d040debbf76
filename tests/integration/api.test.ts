import { beforeAll, expect, it, vi } from "vitest";
import { describeDb } from "../support/database";
import { actorFor } from "../support/fixtures";
import { seedRegistry } from "../support/registry";
import { createToken } from "../../lib/tokens/create-token";
import { revokeToken } from "../../lib/tokens/revoke-token";
import { deactivateUser } from "../../lib/users/deactivate-user";

// REST API v1 as CI would call it: bearer tokens, JSON in and out, problem+json on errors.
const state = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("../../lib/auth/config", () => ({ auth: async () => null, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));

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

// Route params differ per route; `never` lets one helper call them all (the values are checked at run time).
type Handler = (req: Request, ctx: { params: Promise<never> }) => Promise<Response>;
const call = async (handler: Handler, opts: { token?: string; method?: string; body?: string; params?: Record<string, string>; query?: string } = {}) => {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const response = await handler(new Request(`http://localhost/api/v1/x${opts.query ?? ""}`, { method: opts.method ?? "GET", headers, body: opts.body }), {
    params: Promise.resolve(opts.params ?? {}) as Promise<never>,
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get("content-type"), body: text ? JSON.parse(text) : null };
};

describeDb("REST API v1", (t) => {
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    state.db = t().db;
    await seedRegistry(t().db);
    for (const who of ["alice", "sam", "maya", "lee", "bob", "ada"]) {
      tokens[who] = (await createToken({ db: t().db, actor: await actorFor(t().db, `${who}@example.com`) }, { name: "ci" })).token;
    }
  });

  it("401 without a token, with a wrong one, a revoked one, or a deactivated owner's", async () => {
    expect((await call(models.GET)).status).toBe(401);
    const wrong = await call(models.GET, { token: "glt_nope" });
    expect(wrong).toMatchObject({ status: 401, type: "application/problem+json" });
    const extra = await createToken({ db: t().db, actor: await actorFor(t().db, "alice@example.com") }, { name: "temp" });
    expect((await call(models.GET, { token: extra.token })).status).toBe(200);
    await revokeToken({ db: t().db, actor: await actorFor(t().db, "alice@example.com") }, { tokenId: extra.id });
    expect((await call(models.GET, { token: extra.token })).status).toBe(401);
    const mo = await createToken({ db: t().db, actor: await actorFor(t().db, "mo@example.com") }, { name: "mo" });
    await deactivateUser({ db: t().db, actor: await actorFor(t().db, "ada@example.com") }, { userId: (await actorFor(t().db, "mo@example.com")).id });
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
    expect((await call(models.POST, { token: tokens.alice, method: "POST", body: JSON.stringify({ name: "churn", teamId: fraud }) })).status).toBe(201);
    expect((await call(models.POST, { token: tokens.alice, method: "POST", body: JSON.stringify({ name: "churn", teamId: fraud }) })).status).toBe(409);
    expect((await call(models.POST, { token: tokens.sam, method: "POST", body: JSON.stringify({ name: "x-model", teamId: fraud }) })).status).toBe(403);
    const good = { version: "v1", sourceUri: "s3://churn/v1", framework: "sklearn", hyperparameters: { C: 1 }, datasetName: "users", datasetVersion: "2026-11", metrics: { f1: 0.8 } };
    expect((await call(versions.POST, { token: tokens.alice, method: "POST", body: JSON.stringify(good), params: { name: "churn" } })).status).toBe(201);
    const dup = await call(versions.POST, { token: tokens.alice, method: "POST", body: JSON.stringify(good), params: { name: "churn" } });
    expect(dup.status).toBe(400);
    expect(dup.body.errors.version[0]).toMatch(/already has a version v1/);
    const badJson = await call(versions.POST, { token: tokens.alice, method: "POST", body: JSON.stringify({ ...good, version: "v2", hyperparameters: "{not json" }), params: { name: "churn" } });
    expect(badJson.status).toBe(400);
    expect(badJson.body.errors.hyperparameters[0]).toMatch(/JSON object/);
    expect((await call(version.GET, { token: tokens.alice, params: { name: "churn", version: "v1" } })).body).toMatchObject({ version: "v1", metrics: { f1: 0.8 } });
    expect((await call(version.GET, { token: tokens.alice, params: { name: "churn", version: "v9" } })).status).toBe(404);
    expect((await call(versions.GET, { token: tokens.alice, params: { name: "nope" } })).status).toBe(404);
  });

  it("requests: create, submit, decide in order, comment, and the gate answers 403 then 200", async () => {
    const gateQuery = "?model=fraud-detector&version=v3&environment=production";
    expect((await call(gateRoute.GET, { token: tokens.lee, query: gateQuery })).status).toBe(403);
    expect((await call(gateRoute.GET, { token: tokens.lee, query: "?model=fraud-detector" })).status).toBe(400);

    const created = await call(requests.POST, { token: tokens.alice, method: "POST", body: JSON.stringify({ kind: "deployment", title: "Ship v3", description: "**Why**", model: "fraud-detector", version: "v3", environment: "production", risk: "medium", emergency: false }) });
    expect(created.status).toBe(201);
    const number = created.body.number as string;
    expect(number).toMatch(/^CR-\d+$/);
    const params = { number };
    expect((await call(submit.POST, { token: tokens.maya, method: "POST", params })).status).toBe(403);
    const submitted = await call(submit.POST, { token: tokens.alice, method: "POST", params });
    expect(submitted.status).toBe(200);
    expect(submitted.body.request.steps.map((s: { role: string; quorum: number; status: string }) => `${s.role}x${s.quorum}:${s.status}`)).toEqual(["managerx1:pending", "securityx1:pending", "ml_leadx1:pending"]);

    const decideAs = (who: string, body: object) => call(decisionsRoute.POST, { token: tokens[who], method: "POST", params, body: JSON.stringify(body) });
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
    expect(detail.body.steps.every((s: { approvals: number; quorum: number; status: string }) => s.status === "approved" && s.approvals === s.quorum)).toBe(true);
    expect((await call(one.GET, { token: tokens.bob, params: { number: "CR-999999" } })).status).toBe(404);
    expect((await call(commentsRoute.POST, { token: tokens.bob, method: "POST", params, body: JSON.stringify({ body: "nice" }) })).status).toBe(201);

    const open = await call(gateRoute.GET, { token: tokens.lee, query: gateQuery });
    expect(open).toMatchObject({ status: 200, body: { allowed: true, request: { number } } });
    expect((await call(deployed.POST, { token: tokens.alice, method: "POST", params })).status).toBe(200);
    const listed = await call(requests.GET, { token: tokens.alice, query: `?q=${number}` });
    expect(listed.body.requests).toHaveLength(1);
    expect(listed.body.requests[0]).toMatchObject({ number, status: "deployed" });
  });
});
