import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { Session } from "next-auth";
import { mlflowWriteBacks, teams } from "../../db/schema";
import { startJobs, stopJobs } from "../../lib/jobs/start";
import { connectMlflow } from "../../lib/mlflow/connect";
import { setMlflowAlias } from "../../lib/mlflow/set-alias";
import { createRequest } from "../../lib/requests/create-request";
import { decide } from "../../lib/requests/decide";
import { markDeployed } from "../../lib/requests/mark-deployed";
import { rollBack } from "../../lib/requests/roll-back";
import { submitRequest } from "../../lib/requests/submit-request";
import { createToken } from "../../lib/tokens/create-token";
import { describeDb } from "../support/database";
import { FakeMlflow } from "../support/fake-mlflow";
import { actorFor } from "../support/fixtures";
import { waitUntil } from "../support/jobs";
import { seedRegistry } from "../support/registry";
import { callRoute, type Handler } from "../support/routes";

const state = vi.hoisted(() => ({ db: null as unknown, session: null as Session | null }));
vi.mock("../../lib/session/config", () => ({ auth: async () => state.session, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const statusRoute = await import("../../app/api/v1/mlflow/route");
const connectionRoute = await import("../../app/api/v1/mlflow/connection/route");
const syncRoute = await import("../../app/api/v1/mlflow/sync/route");
const modelsRoute = await import("../../app/api/v1/mlflow/models/route");

// The MLflow sync on the real job queue (pg-boss): "Sync now" from the API runs the sync job, a
// decision's write-back is made by the write-back job after commit, and a rollback moves the alias back.
describeDb("MLflow sync on the job queue, and its API", (t) => {
  const mlflow = new FakeMlflow();
  const as = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });
  let adminToken = "";
  let leadToken = "";
  let fraudTeam = "";

  beforeAll(async () => {
    state.db = t().db;
    await seedRegistry(t().db);
    const [fraud] = await t().db.select().from(teams).where(eq(teams.name, "Fraud"));
    fraudTeam = fraud!.id;
    adminToken = (await createToken(await as("ada@example.com"), { name: "mlflow" })).token;
    leadToken = (await createToken(await as("lee@example.com"), { name: "mlflow" })).token;
    await mlflow.start();
    mlflow.token = "job-token";
    mlflow.pageCap = 2;
    mlflow.addModel("ranker", 3);
    await startJobs(t().url, {
      db: t().db,
      work: true,
      pollingIntervalSeconds: 0.5,
      sweepCron: null,
      digestCron: null,
      weeklyInsightsCron: null,
      checkpointCron: null,
      mlflowSyncCron: null,
      mlflowWriteBackCron: null,
    });
  });
  afterAll(async () => {
    await stopJobs();
    await mlflow.stop();
  });

  it("the API: admins only, bad input is a 400 problem at the field, the token never comes back", async () => {
    const refused = await callRoute(statusRoute.GET as Handler, "/api/v1/mlflow", { token: leadToken });
    expect(refused).toMatchObject({ status: 403, type: "application/problem+json" });
    const bad = await callRoute(connectionRoute.PUT as Handler, "/api/v1/mlflow/connection", {
      token: adminToken,
      method: "PUT",
      body: JSON.stringify({ url: "gopher://mlflow" }),
    });
    expect(bad).toMatchObject({ status: 400, type: "application/problem+json" });
    expect(JSON.stringify(bad.body)).toContain("url");
    const empty = await callRoute(statusRoute.GET as Handler, "/api/v1/mlflow", { token: adminToken });
    expect(empty).toMatchObject({ status: 200, body: { connection: null, models: [] } });
    const noSync = await callRoute(syncRoute.POST as Handler, "/api/v1/mlflow/sync", {
      token: adminToken,
      method: "POST",
    });
    expect(noSync.status).toBe(404);

    const saved = await callRoute(connectionRoute.PUT as Handler, "/api/v1/mlflow/connection", {
      token: adminToken,
      method: "PUT",
      body: JSON.stringify({ url: mlflow.url, token: "job-token" }),
    });
    expect(saved).toMatchObject({ status: 200, body: { url: mlflow.url, tokenSet: true } });
    const picked = await callRoute(modelsRoute.POST as Handler, "/api/v1/mlflow/models", {
      token: adminToken,
      method: "POST",
      body: JSON.stringify({ mlflowName: "ranker", teamId: fraudTeam }),
    });
    expect(picked).toMatchObject({ status: 201, body: { model: "ranker" } });
    const status = await callRoute(statusRoute.GET as Handler, "/api/v1/mlflow", { token: adminToken });
    expect(status.body.connection).toMatchObject({ url: mlflow.url, tokenSet: true });
    expect(JSON.stringify(status.body)).not.toContain("job-token");
  });

  it("Sync now runs the sync job; its progress and counts show in the status", async () => {
    const started = await callRoute(syncRoute.POST as Handler, "/api/v1/mlflow/sync", {
      token: adminToken,
      method: "POST",
    });
    expect(started).toMatchObject({ status: 202, body: { queued: true } });
    const synced = await waitUntil(
      async () => {
        const s = await callRoute(statusRoute.GET as Handler, "/api/v1/mlflow", { token: adminToken });
        return s.body.models[0]?.importedCount === 3 && !s.body.connection.syncing;
      },
      { limitMs: 30_000 },
    );
    expect(synced).toBe(true);
    const s = await callRoute(statusRoute.GET as Handler, "/api/v1/mlflow", { token: adminToken });
    expect(s.body.connection).toMatchObject({ progress: { pages: 2, imported: 3 }, lastSyncError: null });
    expect(s.body.models[0]).toMatchObject({ mlflowName: "ranker", midPass: false, lastError: null });
  });

  it("after commit the write-back job tags the version; a rollback points the alias back", async () => {
    await connectMlflow(await as("ada@example.com"), { url: mlflow.url });
    await setMlflowAlias(await as("ada@example.com"), { environment: "staging", alias: "champion" });
    const alice = await as("alice@example.com");
    const lee = await as("lee@example.com");
    const ship = async (version: string) => {
      const { number } = await createRequest(alice, {
        model: "ranker",
        version,
        environment: "staging",
        title: `Ship ${version}`,
      });
      await submitRequest(alice, { number });
      await decide(lee, { number, decision: "approve" });
      await markDeployed(alice, { number });
      return number;
    };
    const allDone = () =>
      waitUntil(async () => (await t().db.select().from(mlflowWriteBacks)).every((r) => r.state === "done"), {
        limitMs: 30_000,
      });
    const first = await ship("1");
    expect(await allDone()).toBe(true);
    expect(mlflow.aliasesOf("ranker")).toEqual({ champion: "1" });
    const second = await ship("2");
    expect(await allDone()).toBe(true);
    expect(mlflow.aliasesOf("ranker")).toEqual({ champion: "2" });
    expect(mlflow.tagsOf("ranker", "2")).toEqual({
      "greenlight.request": `CR-${second}`,
      "greenlight.status": "deployed",
    });

    await rollBack(alice, { model: "ranker", environment: "staging", note: "Latency regressed." });
    expect(await allDone()).toBe(true);
    expect(mlflow.tagsOf("ranker", "2")).toMatchObject({ "greenlight.status": "rolled_back" });
    expect(mlflow.aliasesOf("ranker")).toEqual({ champion: "1" });
    expect(mlflow.tagsOf("ranker", "1")).toEqual({
      "greenlight.request": `CR-${first}`,
      "greenlight.status": "deployed",
    });
  });
});
