import type { Session } from "next-auth";
import { and, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { auditEvents, changeRequests, modelDeployments, models, notifications, teams } from "../../db/schema";
import { createModel } from "../../lib/models/create-model";
import { registerVersion } from "../../lib/models/register-version";
import { createRequest } from "../../lib/requests/create-request";
import { decide } from "../../lib/requests/decide";
import { liveView, readLiveEverywhere, readModelDeployments } from "../../lib/requests/deployments";
import { readRequestPage } from "../../lib/requests/read-request-page";
import { versionBesideLive } from "../../lib/requests/live-version";
import { markDeployed } from "../../lib/requests/mark-deployed";
import { recordOutcome } from "../../lib/requests/record-outcome";
import { revokeRequest } from "../../lib/requests/revoke-request";
import { rollBack } from "../../lib/requests/roll-back";
import { submitRequest } from "../../lib/requests/submit-request";
import { createToken } from "../../lib/tokens/create-token";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, race } from "../support/fixtures";
import { seedRegistry } from "../support/registry";
import { callRoute, type CallOptions, type Handler } from "../support/routes";

const state = vi.hoisted(() => ({ db: null as unknown, session: null as Session | null }));
vi.mock("../../lib/session/config", () => ({ auth: async () => state.session, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const deploymentsRoute = await import("../../app/api/v1/models/[name]/deployments/route");
const rollbackRoute = await import("../../app/api/v1/models/[name]/environments/[environment]/rollback/route");
const outcomeRoute = await import("../../app/api/v1/requests/[number]/outcome/route");
const deployedRoute = await import("../../app/api/v1/requests/[number]/deployed/route");
const call = (handler: Handler, opts: CallOptions = {}) => callRoute(handler, "/api/v1/x", opts);

// What is live per model and environment: deploys make live and retire, races leave one live,
// outcomes close a deployment, rollbacks bring the previous version back unless its approval is gone.
describeDb("live state, outcomes and rollback", (t) => {
  const as = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });
  let modelCount = 0;

  beforeAll(async () => {
    state.db = t().db;
    await seedRegistry(t().db);
  });

  /** A model of its own per test (Fraud team, Alice's), with versions v1-v4. */
  const freshModel = async () => {
    const name = `live-model-${++modelCount}`;
    const alice = await as("alice@example.com");
    const [fraud] = await t().db.select().from(teams).where(eq(teams.name, "Fraud"));
    await createModel(alice, { name, teamId: fraud!.id });
    for (const version of ["v1", "v2", "v3", "v4"])
      await registerVersion(alice, {
        model: name,
        version,
        sourceUri: `s3://m/${name}/${version}`,
        framework: "xgboost",
        hyperparameters: { depth: 6 },
        datasetName: "tx",
        datasetVersion: "1",
        metrics: { auc: 0.9 },
      });
    return name;
  };
  /** An approved staging deployment of that version (staging needs one ML lead approval). */
  const approved = async (model: string, version: string) => {
    const alice = await as("alice@example.com");
    const { number } = await createRequest(alice, {
      model,
      version,
      environment: "staging",
      title: `Ship ${model} ${version}`,
    });
    await submitRequest(alice, { number });
    await decide(await as("lee@example.com"), { number, decision: "approve" });
    return number;
  };
  const deployed = async (model: string, version: string) => {
    const number = await approved(model, version);
    await markDeployed(await as("alice@example.com"), { number });
    return number;
  };
  const liveRows = async (model: string) =>
    t()
      .db.select({ versionId: modelDeployments.modelVersionId, requestId: modelDeployments.requestId })
      .from(modelDeployments)
      .innerJoin(models, eq(models.id, modelDeployments.modelId))
      .where(
        and(eq(models.name, model), eq(modelDeployments.environment, "staging"), isNull(modelDeployments.retiredAt)),
      );
  const staging = async (model: string) => {
    const read = await readModelDeployments(await as("sam@example.com"), { name: model });
    return read.environments.find((e) => e.environment === "staging")!;
  };
  const request = async (number: number) =>
    (await t().db.select().from(changeRequests).where(eq(changeRequests.number, number)))[0]!;

  it("marking a request deployed makes its version live and retires the one before", async () => {
    const model = await freshModel();
    const first = await deployed(model, "v1");
    expect((await staging(model)).live).toMatchObject({ version: "v1", number: first, via: "deployment" });
    const second = await deployed(model, "v2");
    const env = await staging(model);
    expect(env.live).toMatchObject({ version: "v2", number: second, retiredAt: null, deployedBy: "alice@example.com" });
    expect(env.history.map((h) => [h.version, h.retiredReason, h.retiredByNumber])).toEqual([
      ["v2", null, null],
      ["v1", "superseded", second],
    ]);
    expect(await liveRows(model)).toHaveLength(1);
    // The request page's comparison reads the same table.
    const v3 = await createRequest(await as("alice@example.com"), {
      model,
      version: "v3",
      environment: "staging",
      title: "Next",
    });
    const beside = await versionBesideLive(t().db, await request(v3.number));
    expect(beside?.live).toMatchObject({ label: "v2", number: second, same: false });
    // Production is its own environment: nothing live there.
    const read = await readModelDeployments(await as("bob@example.com"), { name: model });
    expect(read.environments.find((e) => e.environment === "production")).toMatchObject({ live: null, history: [] });
  });

  it("deploys racing for one environment leave exactly one live, and every one in the history", async () => {
    const model = await freshModel();
    const numbers = [];
    for (const v of ["v1", "v2", "v3", "v4"]) numbers.push(await approved(model, v));
    const alice = await as("alice@example.com");
    const { statuses } = await race(numbers.map((number) => () => markDeployed(alice, { number })));
    expect(statuses).toEqual([]);
    expect(await liveRows(model)).toHaveLength(1);
    const env = await staging(model);
    expect(env.history).toHaveLength(4);
    expect(env.history.filter((h) => h.retiredAt === null)).toHaveLength(1);
    expect(env.history.filter((h) => h.retiredReason === "superseded")).toHaveLength(3);
  });

  it("the live-row index refuses a second live row whoever writes it", async () => {
    const model = await freshModel();
    const number = await deployed(model, "v1");
    const [row] = await t()
      .db.select()
      .from(modelDeployments)
      .where(eq(modelDeployments.requestId, (await request(number)).id));
    await expect(
      t()
        .db.insert(modelDeployments)
        .values({ ...row!, id: undefined, deployedAt: new Date() }),
    ).rejects.toThrow();
  });

  describe("outcome", () => {
    it("closes a deployed request once, by its requester or an ML lead", async () => {
      const model = await freshModel();
      const number = await deployed(model, "v1");
      await expectStatus(recordOutcome(await as("bob@example.com"), { number, outcome: "successful" }), 403);
      await expectStatus(recordOutcome(await as("sam@example.com"), { number, outcome: "successful" }), 403);
      const done = await recordOutcome(await as("alice@example.com"), {
        number,
        outcome: "successful",
        note: "Clean.",
      });
      expect(done).toEqual({ status: "deployed", outcome: "successful" });
      expect(await request(number)).toMatchObject({ status: "deployed", outcome: "successful", outcomeNote: "Clean." });
      await expectStatus(recordOutcome(await as("lee@example.com"), { number, outcome: "successful" }), 409);
      const [event] = await t()
        .db.select()
        .from(auditEvents)
        .where(
          and(eq(auditEvents.action, "request.outcome_recorded"), eq(auditEvents.entityId, (await request(number)).id)),
        );
      expect(event?.data).toMatchObject({ number, outcome: "successful" });

      const other = await deployed(model, "v2");
      const byLead = await recordOutcome(await as("lee@example.com"), {
        number: other,
        outcome: "successful_with_issues",
        note: "Cold start slower than expected.",
      });
      expect(byLead.outcome).toBe("successful_with_issues");
    });

    it("refuses bad input with field errors, and a request that is not deployed", async () => {
      const model = await freshModel();
      const number = await deployed(model, "v1");
      const alice = await as("alice@example.com");
      const bad = await expectStatus(recordOutcome(alice, { number, outcome: "great" }), 400);
      expect(bad.fieldErrors?.outcome).toBeDefined();
      const rolled = await expectStatus(recordOutcome(alice, { number, outcome: "rolled_back" }), 400);
      expect(rolled.fieldErrors?.outcome?.[0]).toMatch(/Roll back/);
      const issues = await expectStatus(recordOutcome(alice, { number, outcome: "successful_with_issues" }), 400);
      expect(issues.fieldErrors?.note).toBeDefined();
      await expectStatus(recordOutcome(alice, { outcome: "successful" }), 400);
      const notYet = await approved(model, "v2");
      await expectStatus(recordOutcome(alice, { number: notYet, outcome: "successful" }), 409);
      expect((await request(number)).outcome).toBeNull();
    });

    it("under concurrent use is recorded once", async () => {
      const model = await freshModel();
      const number = await deployed(model, "v1");
      const alice = await as("alice@example.com");
      const { ok, statuses } = await race(
        Array.from(
          { length: 5 },
          (_, i) => () =>
            recordOutcome(alice, {
              number,
              outcome: i % 2 ? "successful" : "successful_with_issues",
              note: `take ${i}`,
            }),
        ),
      );
      expect(ok).toHaveLength(1);
      expect(statuses).toEqual(Array(4).fill(409));
    });
  });

  describe("rollback", () => {
    it("makes the previous version live again and closes the current request as rolled back", async () => {
      const model = await freshModel();
      const first = await deployed(model, "v1");
      const second = await deployed(model, "v2");
      const result = await rollBack(await as("lee@example.com"), {
        model,
        environment: "staging",
        note: "Latency regression.",
      });
      expect(result).toEqual({
        model,
        environment: "staging",
        live: { version: "v1", number: first },
        rolledBack: { version: "v2", number: second, status: "rolled_back" },
      });
      const env = await staging(model);
      expect(env.live).toMatchObject({ version: "v1", number: first, via: "rollback", note: "Latency regression." });
      expect(env.history[1]).toMatchObject({
        version: "v2",
        retiredReason: "rolled_back",
        retiredBy: "lee@example.com",
      });
      expect(await liveRows(model)).toHaveLength(1);
      expect(await request(second)).toMatchObject({
        status: "rolled_back",
        outcome: "rolled_back",
        outcomeNote: "Latency regression.",
      });
      // The earlier request still covers v1; the rolled-back one no longer covers v2 (for the gate too).
      expect((await request(first)).status).toBe("deployed");
      const [event] = await t()
        .db.select()
        .from(auditEvents)
        .where(
          and(eq(auditEvents.action, "request.rolled_back"), eq(auditEvents.entityId, (await request(second)).id)),
        );
      expect(event?.data).toMatchObject({ from: "v2", to: "v1", toRequest: first, environment: "staging" });
      const mail = await t()
        .db.select()
        .from(notifications)
        .where(
          and(eq(notifications.recipientEmail, "alice@example.com"), eq(notifications.template, "request-deployed")),
        );
      expect(mail.map((m) => m.payload)).toContainEqual(
        expect.objectContaining({
          what: "rolled_back",
          environment: "staging",
          version: expect.stringMatching(/ v2$/),
          other: expect.stringMatching(/ v1$/),
          note: "Latency regression.",
          reason: "requester",
        }),
      );
      // Nothing left to roll back to: v2 was itself rolled back.
      const again = await expectStatus(
        rollBack(await as("lee@example.com"), { model, environment: "staging", note: "Again." }),
        409,
      );
      expect(again.message).toMatch(/itself rolled back/);
    });

    it("refuses a version whose approval was revoked, one never live there, and an empty environment", async () => {
      const model = await freshModel();
      await expectStatus(rollBack(await as("lee@example.com"), { model, environment: "staging", note: "None." }), 409);
      const first = await deployed(model, "v1");
      await expectStatus(rollBack(await as("lee@example.com"), { model, environment: "staging", note: "Alone." }), 409);
      await deployed(model, "v2");
      await revokeRequest(await as("sam@example.com"), { number: first, reason: "Trained on leaked labels." });
      const revoked = await expectStatus(
        rollBack(await as("lee@example.com"), { model, environment: "staging", note: "Back." }),
        409,
      );
      expect(revoked.message).toMatch(/v1's approval \(CR-\d+\) was revoked/);
      const never = await expectStatus(
        rollBack(await as("lee@example.com"), { model, environment: "staging", note: "Back.", version: "v3" }),
        409,
      );
      expect(never.message).toMatch(/never live in staging/);
      expect((await staging(model)).live).toMatchObject({ version: "v2" });
      expect((await staging(model)).rollback).toMatchObject({ to: "v1", refusal: expect.stringMatching(/revoked/) });
    });

    it("refuses someone who neither requested what is live nor leads ML, and bad input", async () => {
      const model = await freshModel();
      await deployed(model, "v1");
      const second = await deployed(model, "v2");
      await expectStatus(rollBack(await as("bob@example.com"), { model, environment: "staging", note: "Mine?" }), 403);
      await expectStatus(rollBack(await as("sam@example.com"), { model, environment: "staging", note: "Sec." }), 403);
      const noNote = await expectStatus(rollBack(await as("lee@example.com"), { model, environment: "staging" }), 400);
      expect(noNote.fieldErrors?.note).toBeDefined();
      const moon = await expectStatus(
        rollBack(await as("lee@example.com"), { model, environment: "Moon!", note: "Up." }),
        400,
      );
      expect(moon.fieldErrors?.environment).toBeDefined();
      // A well-formed name that is no environment: nothing there to roll back.
      await expectStatus(rollBack(await as("lee@example.com"), { model, environment: "moon", note: "Up." }), 404);
      await expectStatus(
        rollBack(await as("lee@example.com"), { model: "no-such-model", environment: "staging", note: "x y" }),
        404,
      );
      expect((await request(second)).status).toBe("deployed");
      // Its requester may roll back what they put live.
      const own = await rollBack(await as("alice@example.com"), { model, environment: "staging", note: "My call." });
      expect(own.live.version).toBe("v1");
    });

    it("under concurrent use rolls back once", async () => {
      const model = await freshModel();
      await deployed(model, "v1");
      await deployed(model, "v2");
      const lee = await as("lee@example.com");
      const { ok, statuses } = await race(
        Array.from(
          { length: 4 },
          () => () => rollBack(lee, { model, environment: "staging", note: "Everyone at once." }),
        ),
      );
      expect(ok).toHaveLength(1);
      expect(statuses).toEqual(Array(3).fill(409));
      expect(await liveRows(model)).toHaveLength(1);
    });

    it("a deploy racing a rollback leaves one live", async () => {
      const model = await freshModel();
      await deployed(model, "v1");
      await deployed(model, "v2");
      const next = await approved(model, "v3");
      const [lee, alice] = [await as("lee@example.com"), await as("alice@example.com")];
      const { statuses } = await race<unknown>([
        () => rollBack(lee, { model, environment: "staging", note: "Back." }),
        () => markDeployed(alice, { number: next }),
      ]);
      // Whichever went first, the other still applies: a rollback from v3 goes to v2 or v1.
      expect(statuses.every((s) => s === 409)).toBe(true);
      expect(await liveRows(model)).toHaveLength(1);
    });
  });

  it("the pages: the request that is live offers its outcome and the rollback; others do not", async () => {
    const model = await freshModel();
    const first = await deployed(model, "v1");
    const second = await deployed(model, "v2");
    const mine = await readRequestPage(await as("alice@example.com"), { number: String(second) });
    expect(mine.can.recordOutcome).toBe(true);
    expect(mine.live?.live).toMatchObject({ version: "v2", number: second });
    expect(mine.live?.rollback).toMatchObject({ to: "v1", number: first, refusal: null, mayRollBack: true });
    const bobs = await readRequestPage(await as("bob@example.com"), { number: String(second) });
    expect(bobs.can.recordOutcome).toBe(false);
    expect(bobs.live?.rollback?.mayRollBack).toBe(false);
    const older = await readRequestPage(await as("lee@example.com"), { number: String(first) });
    expect(older.live).toBeNull();
    expect(older.can.recordOutcome).toBe(true);
    await rollBack(await as("lee@example.com"), { model, environment: "staging", note: "Back to v1." });
    const after = await readRequestPage(await as("alice@example.com"), { number: String(second) });
    expect(after.outcome).toMatchObject({ outcome: "rolled_back", note: "Back to v1." });
    expect(after.can.recordOutcome).toBe(false);
    expect(after.timeline.map((e) => e.action)).toContain("request.rolled_back");
    const view = liveView(await readModelDeployments(await as("maya@example.com"), { name: model }));
    const staging = view.find((e) => e.environment === "staging");
    expect(staging).toMatchObject({ environment: "staging", live: { version: "v1", via: "rollback" } });
    expect(typeof staging!.live!.deployedAt).toBe("string");
    const everywhere = await readLiveEverywhere(await as("sam@example.com"));
    expect(everywhere[model]).toEqual([{ environment: "staging", version: "v1", number: first }]);
  });

  describe("over /api/v1", () => {
    const tokens: Record<string, string> = {};
    beforeAll(async () => {
      for (const who of ["alice", "bob", "lee", "sam"])
        tokens[who] = (await createToken(await as(`${who}@example.com`), { name: "ci" })).token;
    });

    it("deploy, read what is live, close with an outcome, roll back: named fields and problem+json", async () => {
      const model = await freshModel();
      const first = await deployed(model, "v1");
      const second = await approved(model, "v2");
      const shipped = await call(deployedRoute.POST, {
        token: tokens.alice,
        method: "POST",
        params: { number: `CR-${second}` },
      });
      expect(shipped.status).toBe(200);
      expect(shipped.body.request).toMatchObject({ status: "deployed", outcome: null });

      const read = await call(deploymentsRoute.GET, { token: tokens.sam, params: { name: model } });
      expect(read.status).toBe(200);
      const env = read.body.environments.find((e: { environment: string }) => e.environment === "staging");
      expect(Object.keys(env).sort()).toEqual(["environment", "history", "live", "rollback"]);
      expect(env.live).toEqual({
        version: "v2",
        via: "deployment",
        request: `CR-${second}`,
        requestStatus: "deployed",
        outcome: null,
        deployedAt: expect.any(String),
        deployedBy: "alice@example.com",
        note: null,
        retired: null,
      });
      expect(env.rollback).toEqual({ to: "v1", request: `CR-${first}`, refusal: null });
      expect(env.history[1].retired).toEqual({
        at: expect.any(String),
        by: "alice@example.com",
        reason: "superseded",
        request: `CR-${second}`,
      });
      expect((await call(deploymentsRoute.GET, { token: tokens.sam, params: { name: "nope-model" } })).status).toBe(
        404,
      );
      expect((await call(deploymentsRoute.GET, { params: { name: model } })).status).toBe(401);

      const closed = await call(outcomeRoute.POST, {
        token: tokens.alice,
        method: "POST",
        params: { number: `CR-${first}` },
        body: JSON.stringify({ outcome: "successful", note: "Fine for a week." }),
      });
      expect(closed.status).toBe(200);
      expect(closed.body.result).toEqual({ status: "deployed", outcome: "successful" });
      expect(closed.body.request.outcome).toMatchObject({ outcome: "successful", note: "Fine for a week." });
      const badOutcome = await call(outcomeRoute.POST, {
        token: tokens.alice,
        method: "POST",
        params: { number: `CR-${second}` },
        body: JSON.stringify({ outcome: "meh" }),
      });
      expect(badOutcome).toMatchObject({ status: 400, type: "application/problem+json" });
      expect(
        (
          await call(outcomeRoute.POST, {
            token: tokens.bob,
            method: "POST",
            params: { number: `CR-${second}` },
            body: JSON.stringify({ outcome: "successful" }),
          })
        ).status,
      ).toBe(403);

      const refused = await call(rollbackRoute.POST, {
        token: tokens.bob,
        method: "POST",
        params: { name: model, environment: "staging" },
        body: JSON.stringify({ note: "Not mine." }),
      });
      expect(refused).toMatchObject({ status: 403, type: "application/problem+json" });
      const back = await call(rollbackRoute.POST, {
        token: tokens.lee,
        method: "POST",
        params: { name: model, environment: "staging" },
        body: JSON.stringify({ note: "Error rate up." }),
      });
      expect(back.status).toBe(200);
      expect(back.body).toEqual({
        model,
        environment: "staging",
        live: { version: "v1", request: `CR-${first}` },
        rolledBack: { version: "v2", request: `CR-${second}`, status: "rolled_back" },
      });
      const twice = await call(rollbackRoute.POST, {
        token: tokens.lee,
        method: "POST",
        params: { name: model, environment: "staging" },
        body: JSON.stringify({ note: "Again." }),
      });
      expect(twice).toMatchObject({ status: 409, type: "application/problem+json" });
      expect(twice.body.detail).toMatch(/itself rolled back/);
    });
  });
});
