import type { Session } from "next-auth";
import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { auditEvents, environments, teams } from "../../db/schema";
import { changeEnvironment } from "../../lib/environments/change-environment";
import { defineEnvironment } from "../../lib/environments/define-environment";
import { listEnvironments, readEnvironment } from "../../lib/environments/queries";
import { orderProblems } from "../../lib/environments/rules";
import { createModel } from "../../lib/models/create-model";
import { registerVersion } from "../../lib/models/register-version";
import { savePolicy } from "../../lib/policies/save-policy";
import { createRequest } from "../../lib/requests/create-request";
import { decide } from "../../lib/requests/decide";
import { markDeployed } from "../../lib/requests/mark-deployed";
import { readNewRequestPage } from "../../lib/requests/queries";
import { rollBack } from "../../lib/requests/roll-back";
import { submitRequest } from "../../lib/requests/submit-request";
import { updateRequest } from "../../lib/requests/update-request";
import { createToken } from "../../lib/tokens/create-token";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, race } from "../support/fixtures";
import { seedRegistry } from "../support/registry";
import { callRoute, type CallOptions, type Handler } from "../support/routes";

const state = vi.hoisted(() => ({ db: null as unknown, session: null as Session | null }));
vi.mock("../../lib/session/config", () => ({ auth: async () => state.session, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const listRoute = await import("../../app/api/v1/environments/route");
const oneRoute = await import("../../app/api/v1/environments/[name]/route");
const call = (handler: Handler, opts: CallOptions = {}) => callRoute(handler, "/api/v1/environments", opts);

// Environments as data: admins define them with an order, protection and a prerequisite; deployment
// requests are held to the promotion order when they take their chain; policies match them by name.
describeDb("environments", (t) => {
  const as = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });
  const ADA = "ada@example.com";
  let models = 0;

  beforeAll(async () => {
    state.db = t().db;
    await seedRegistry(t().db);
  });

  /** A model of Alice's team with versions v1 and v2 (each with an artifact digest). */
  const freshModel = async () => {
    const name = `env-model-${++models}`;
    const alice = await as("alice@example.com");
    const [fraud] = await t().db.select().from(teams).where(eq(teams.name, "Fraud"));
    await createModel(alice, { name, teamId: fraud!.id });
    for (const [i, version] of ["v1", "v2"].entries())
      await registerVersion(alice, {
        model: name,
        version,
        sourceUri: `s3://m/${name}/${version}`,
        framework: "xgboost",
        hyperparameters: { depth: 6 },
        metrics: { auc: 0.9 },
        datasetName: "tx",
        datasetVersion: "1",
        artifactDigest: `sha256:${String(models * 10 + i).padStart(64, "0")}`,
      });
    return name;
  };
  const draft = async (model: string, version: string, environment: string, extra: Record<string, unknown> = {}) =>
    (
      await createRequest(await as("alice@example.com"), {
        model,
        version,
        environment,
        title: `Ship ${model} ${version} to ${environment}`,
        ...extra,
      })
    ).number;
  /** Deployed to staging: staging asks one ML lead (Lee). */
  const deployedToStaging = async (model: string, version: string) => {
    const number = await draft(model, version, "staging");
    await submitRequest(await as("alice@example.com"), { number });
    await decide(await as("lee@example.com"), { number, decision: "approve" });
    await markDeployed(await as("alice@example.com"), { number });
    return number;
  };
  const current = async (name: string) =>
    (await t().db.select().from(environments).where(eq(environments.name, name)))[0]!;

  it("starts with development < staging < production, production protected, no prerequisite", async () => {
    const all = await listEnvironments(t().db);
    expect(all.map((e) => [e.name, e.position, e.protected, e.requiresDeployedIn])).toEqual([
      ["development", 10, false, null],
      ["staging", 20, false, null],
      ["production", 30, true, null],
    ]);
    // The new-request form offers exactly these, in order.
    const page = await readNewRequestPage(await as("alice@example.com"));
    expect(page.environments.map((e) => e.name)).toEqual(["development", "staging", "production"]);
  });

  it("an admin defines one (audited); others are refused; bad names, orders and prerequisites are 400 at the field", async () => {
    const canary = await defineEnvironment(await as(ADA), {
      name: "canary",
      position: "25",
      requiresDeployedIn: "staging",
      description: "A slice of live traffic.",
    });
    expect(canary).toMatchObject({ name: "canary", position: 25, protected: false, requiresDeployedIn: "staging" });
    const [event] = await t()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "environment.defined"), eq(auditEvents.entityId, "canary")));
    expect(event?.data).toMatchObject({ name: "canary", requiresDeployedIn: "staging" });

    for (const who of ["alice@example.com", "lee@example.com", "sam@example.com"])
      await expectStatus(defineEnvironment(await as(who), { name: "sneaky", position: 5 }), 403);
    const bad = await expectStatus(defineEnvironment(await as(ADA), { name: "Not OK!", position: "x" }), 400);
    expect(Object.keys(bad.fieldErrors!).sort()).toEqual(["name", "position"]);
    // A prerequisite comes earlier in the order, exists and is in use.
    const later = await expectStatus(
      defineEnvironment(await as(ADA), { name: "early", position: 5, requiresDeployedIn: "production" }),
      400,
    );
    expect(later.fieldErrors?.requiresDeployedIn?.[0]).toMatch(/comes at or after early/);
    const unknown = await expectStatus(
      defineEnvironment(await as(ADA), { name: "early", position: 50, requiresDeployedIn: "nowhere" }),
      400,
    );
    expect(unknown.fieldErrors?.requiresDeployedIn?.[0]).toMatch(/no environment named nowhere/);
    await expectStatus(defineEnvironment(await as(ADA), { name: "canary", position: 26 }), 409);
    expect(await current("early")).toBeUndefined();
  });

  it("the promotion order: refused at submit until the version was deployed (and not rolled back) to the prerequisite", async () => {
    const model = await freshModel();
    const alice = await as("alice@example.com");
    const early = await draft(model, "v1", "canary");
    const refused = await expectStatus(submitRequest(alice, { number: early }), 409);
    expect(refused.message).toMatch(/has not been deployed to staging/);
    await deployedToStaging(model, "v1");
    const submitted = await submitRequest(alice, { number: early });
    expect(["in_review", "approved"]).toContain(submitted.request.status);

    // v2 reached staging, then was rolled back there: it is not promoted on that deployment.
    await deployedToStaging(model, "v2");
    await rollBack(await as("lee@example.com"), { model, environment: "staging", note: "Latency regressed." });
    const v2 = await draft(model, "v2", "canary");
    expect((await expectStatus(submitRequest(alice, { number: v2 }), 409)).message).toMatch(/staging first/);
  });

  it("protection, not the name, decides digests, risk and emergencies", async () => {
    const model = await freshModel();
    await defineEnvironment(await as(ADA), { name: "eu-live", position: 40, protected: "true" });
    // An emergency is allowed on a protected environment only.
    const emergency = await draft(model, "v1", "eu-live", { emergency: "on" });
    expect(emergency).toBeGreaterThan(0);
    const refused = await expectStatus(draft(model, "v1", "staging", { emergency: "on" }), 400);
    expect(refused.fieldErrors?.emergency?.[0]).toMatch(/staging is not protected/);
    // A deployment there counts as a protected one when its risk is assessed.
    const alice = await as("alice@example.com");
    const normal = await draft(model, "v2", "eu-live");
    const { request } = await submitRequest(alice, { number: normal });
    expect(request.riskFactors).toContainEqual({
      fact: "a deployment to a protected environment (eu-live)",
      risk: "medium",
    });
    // Unprotecting staging's sibling does not change requests already filed as emergencies.
    await changeEnvironment(await as(ADA), { name: "eu-live", protected: false });
    const moved = await expectStatus(
      updateRequest(alice, { number: emergency, environment: "staging", emergency: true }),
      400,
    );
    expect(moved.fieldErrors?.emergency).toBeDefined();
  });

  it("changes are checked against the whole order; archiving keeps old requests and refuses new ones", async () => {
    const admin = await as(ADA);
    // Staging cannot move after canary, which requires it; nor can it be archived while canary requires it.
    const moved = await expectStatus(changeEnvironment(admin, { name: "staging", position: 26 }), 400);
    expect(moved.fieldErrors?.position?.[0]).toMatch(/canary \(order 25\) requires a deployment here first/);
    const archived = await expectStatus(changeEnvironment(admin, { name: "staging", archived: true }), 400);
    expect(archived.fieldErrors?.archived?.[0]).toMatch(/canary requires a deployment in staging first/);

    const model = await freshModel();
    const filedBefore = await draft(model, "v1", "development");
    const done = await changeEnvironment(admin, { name: "development", archived: "true" });
    expect(done).toMatchObject({ name: "development", archived: true, changed: true });
    expect((await changeEnvironment(admin, { name: "development", archived: true })).changed).toBe(false);
    const refused = await expectStatus(draft(model, "v2", "development"), 400);
    expect(refused.fieldErrors?.environment?.[0]).toMatch(/development is archived: choose staging, canary/);
    // The draft filed before keeps its environment and can still be edited and submitted.
    const alice = await as("alice@example.com");
    await updateRequest(alice, { number: filedBefore, title: "Still for development" });
    expect((await submitRequest(alice, { number: filedBefore })).request.environment).toBe("development");
    expect((await readNewRequestPage(alice)).environments.map((e) => e.name)).not.toContain("development");
    await changeEnvironment(admin, { name: "development", archived: false });

    await expectStatus(changeEnvironment(await as("lee@example.com"), { name: "staging", description: "x" }), 403);
    await expectStatus(changeEnvironment(admin, { name: "nowhere", description: "x" }), 404);
    const [changed] = await t()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "environment.changed"), eq(auditEvents.entityId, "development")))
      .orderBy(asc(auditEvents.seq));
    expect(changed?.data).toMatchObject({
      changed: ["archived"],
      before: { archived: false },
      after: { archived: true },
    });
  });

  it("policies match environments by name, and a name that is no environment is refused", async () => {
    const admin = await as(ADA);
    const stages = [
      [{ name: "Canary check", role: "ml_lead", scope: "any", quorum: 1, slaHours: 24, autoPass: "never" }],
    ];
    const refused = await expectStatus(
      savePolicy(admin, {
        name: "Typo policy",
        active: true,
        definition: { conditions: { environments: ["canry"] }, stages },
      }),
      400,
    );
    expect(refused.fieldErrors?.["definition.conditions.environments"]?.[0]).toMatch(/No environment is named canry/);
    await savePolicy(admin, {
      name: "Canary policy",
      active: true,
      definition: { conditions: { kinds: ["deployment"], environments: ["canary"] }, stages },
    });
    const model = await freshModel();
    await deployedToStaging(model, "v1");
    const number = await draft(model, "v1", "canary");
    const { steps } = await submitRequest(await as("alice@example.com"), { number });
    expect(steps.map((s) => s.name)).toContain("Canary check");
  });

  it("the environment page lists what is live, since when, through which request, and the history", async () => {
    const model = await freshModel();
    const first = await deployedToStaging(model, "v1");
    const second = await deployedToStaging(model, "v2");
    const page = await readEnvironment(await as("maya@example.com"), { name: "staging" });
    const live = page.live.find((l) => l.model === model);
    expect(live).toMatchObject({ version: "v2", number: second, via: "deployment", deployedBy: "alice@example.com" });
    const mine = page.history.filter((h) => h.model === model);
    expect(mine.map((h) => [h.version, h.number, h.retiredReason, h.retiredByNumber])).toEqual([
      ["v2", second, null, null],
      ["v1", first, "superseded", second],
    ]);
    await expectStatus(readEnvironment(await as("maya@example.com"), { name: "nowhere" }), 404);
    await expectStatus(readEnvironment(await as("maya@example.com"), { name: "../etc" }), 404);
  });

  it("two admins changing the order at once: one after the other, never an inconsistent order", async () => {
    const admin = await as(ADA);
    const other = await as(ADA);
    await defineEnvironment(admin, { name: "race-a", position: 100 });
    await defineEnvironment(admin, { name: "race-b", position: 110 });
    // Alone, each is fine; together, race-b would require an environment that comes after it.
    const { ok, statuses } = await race([
      () => changeEnvironment(admin, { name: "race-a", position: 120 }),
      () => changeEnvironment(other, { name: "race-b", requiresDeployedIn: "race-a" }),
    ]);
    expect(ok).toHaveLength(1);
    expect(statuses).toEqual([400]);
    const all = await listEnvironments(t().db, { archived: true });
    for (const e of all) expect(orderProblems(all, e.name)).toEqual({});
    // Two definitions of one name: one is created, the other is told it exists.
    const twice = await race([1, 2].map((n) => () => defineEnvironment(admin, { name: "twin", position: 200 + n })));
    expect(twice.ok).toHaveLength(1);
    expect(twice.statuses).toEqual([409]);
  });

  describe("over /api/v1", () => {
    const tokens: Record<string, string> = {};
    beforeAll(async () => {
      for (const who of ["ada", "alice"])
        tokens[who] = (await createToken(await as(`${who}@example.com`), { name: "ci" })).token;
    });

    it("lists, defines, reads and changes; problem+json for refusals and bad input", async () => {
      const list = await call(listRoute.GET, { token: tokens.alice });
      expect(list.status).toBe(200);
      expect(list.body.environments[0]).toEqual({
        name: "development",
        description: "Experiments and integration work.",
        position: 10,
        protected: false,
        requiresDeployedIn: null,
        archived: false,
        archivedAt: null,
        liveModels: 0,
      });
      const created = await call(listRoute.POST, {
        token: tokens.ada,
        method: "POST",
        body: JSON.stringify({ name: "shadow", position: 27, requiresDeployedIn: "staging" }),
      });
      expect(created).toMatchObject({ status: 201, body: { name: "shadow", position: 27 } });
      const refused = await call(listRoute.POST, {
        token: tokens.alice,
        method: "POST",
        body: JSON.stringify({ name: "mine", position: 1 }),
      });
      expect(refused).toMatchObject({ status: 403, type: "application/problem+json" });
      const bad = await call(listRoute.POST, {
        token: tokens.ada,
        method: "POST",
        body: JSON.stringify({ name: "x".repeat(41), position: 1e20 }),
      });
      expect(bad).toMatchObject({ status: 400, type: "application/problem+json" });
      const patched = await call(oneRoute.PATCH, {
        token: tokens.ada,
        method: "PATCH",
        params: { name: "shadow" },
        body: JSON.stringify({ protected: true }),
      });
      expect(patched).toMatchObject({ status: 200, body: { name: "shadow", protected: true, changed: true } });
      // A field left out is left as it is: describing it does not unprotect it or drop its prerequisite.
      const described = await call(oneRoute.PATCH, {
        token: tokens.ada,
        method: "PATCH",
        params: { name: "shadow" },
        body: JSON.stringify({ description: "Mirrors live traffic." }),
      });
      expect(described.body).toMatchObject({ protected: true, requiresDeployedIn: "staging", position: 27 });
      const read = await call(oneRoute.GET, { token: tokens.alice, params: { name: "shadow" } });
      expect(read).toMatchObject({ status: 200, body: { environment: { name: "shadow" }, live: [], history: [] } });
      expect((await call(oneRoute.GET, { token: tokens.alice, params: { name: "nowhere" } })).status).toBe(404);
      expect((await call(oneRoute.GET, { params: { name: "shadow" } })).status).toBe(401);
    });
  });
});
