import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEvents,
  mlflowModels,
  mlflowVersionLinks,
  mlflowWriteBacks,
  models,
  modelVersions,
  teams,
} from "../../db/schema";
import { connectMlflow } from "../../lib/mlflow/connect";
import { disconnectMlflow } from "../../lib/mlflow/disconnect";
import { pickMlflowModel } from "../../lib/mlflow/pick-model";
import { readMlflowAdmin, readMlflowOrigin } from "../../lib/mlflow/queries";
import { setMlflowAlias } from "../../lib/mlflow/set-alias";
import { syncMlflow } from "../../lib/mlflow/sync";
import { unpickMlflowModel } from "../../lib/mlflow/unpick-model";
import { processMlflowWriteBacks } from "../../lib/mlflow/write-back";
import { createRequest } from "../../lib/requests/create-request";
import { decide } from "../../lib/requests/decide";
import { markDeployed } from "../../lib/requests/mark-deployed";
import { revokeRequest } from "../../lib/requests/revoke-request";
import { submitRequest } from "../../lib/requests/submit-request";
import { describeDb } from "../support/database";
import { FakeMlflow } from "../support/fake-mlflow";
import { actorFor, expectStatus, race } from "../support/fixtures";
import { seedRegistry } from "../support/registry";

const TOKEN = "mlflow-test-token-s3cret";

// Two-way sync with an MLflow registry, against a loopback stand-in that pages two results at a time.
describeDb("MLflow registry sync", (t) => {
  const mlflow = new FakeMlflow();
  const as = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });
  let fraudTeam = "";

  beforeAll(async () => {
    await seedRegistry(t().db);
    const [fraud] = await t().db.select().from(teams).where(eq(teams.name, "Fraud"));
    fraudTeam = fraud!.id;
    await mlflow.start();
    mlflow.token = TOKEN;
    mlflow.pageCap = 2;
    mlflow.addModel("Fraud Scorer", 3);
    mlflow.addModel("churn", 2);
    mlflow.addVersion("churn", { status: "PENDING_REGISTRATION" });
    mlflow.addModel("unpicked-model", 1);
  });
  afterAll(() => mlflow.stop());

  const versionsOf = async (model: string) =>
    t()
      .db.select({
        version: modelVersions.version,
        sourceUri: modelVersions.sourceUri,
        trainingRunId: modelVersions.trainingRunId,
        gitCommit: modelVersions.gitCommit,
        hyperparameters: modelVersions.hyperparameters,
        metrics: modelVersions.metrics,
        datasetName: modelVersions.datasetName,
        datasetVersion: modelVersions.datasetVersion,
        framework: modelVersions.framework,
        artifactDigest: modelVersions.artifactDigest,
      })
      .from(modelVersions)
      .innerJoin(models, eq(models.id, modelVersions.modelId))
      .where(eq(models.name, model))
      .orderBy(modelVersions.version);
  const auditCount = async (action: "mlflow.version_imported" | "mlflow.connected") =>
    t().db.$count(auditEvents, eq(auditEvents.action, action));

  describe("connecting", () => {
    it("refuses anyone but an admin, before asking MLflow anything", async () => {
      const before = mlflow.calls.length;
      for (const email of ["alice@example.com", "lee@example.com", "maya@example.com"])
        await expectStatus(connectMlflow(await as(email), { url: mlflow.url, token: TOKEN }), 403);
      expect(mlflow.calls.length).toBe(before);
    });

    it("refuses a non-http address, a wrong token and a server that does not answer, at the field", async () => {
      const ada = await as("ada@example.com");
      const ftp = await expectStatus(connectMlflow(ada, { url: "ftp://mlflow.example.com" }), 400);
      expect(ftp.fieldErrors?.url?.[0]).toMatch(/http/);
      expect((await expectStatus(connectMlflow(ada, { url: "not a url" }), 400)).fieldErrors?.url).toBeDefined();
      expect(
        (await expectStatus(connectMlflow(ada, { url: `http://user:pw@127.0.0.1:1` }), 400)).fieldErrors?.url,
      ).toBeDefined();
      const wrong = await expectStatus(connectMlflow(ada, { url: mlflow.url, token: "wrong" }), 400);
      expect(wrong.fieldErrors?.token?.[0]).toMatch(/refused the token/);
      const away = await expectStatus(connectMlflow(ada, { url: "http://127.0.0.1:9" }), 400);
      expect(away.fieldErrors?.url?.[0]).toMatch(/Could not reach MLflow/);
      expect((await readMlflowAdmin(ada)).connection).toBeNull();
    });

    it("saves the server; the token is never read back, only whether it is set", async () => {
      const ada = await as("ada@example.com");
      const saved = await connectMlflow(ada, { url: `${mlflow.url}/`, token: TOKEN });
      expect(saved).toMatchObject({ url: mlflow.url, tokenSet: true });
      expect(JSON.stringify(saved)).not.toContain(TOKEN);
      const view = await readMlflowAdmin(ada);
      expect(view.connection).toMatchObject({ url: mlflow.url, tokenSet: true, syncing: false });
      expect(JSON.stringify(view)).not.toContain(TOKEN);
      const [event] = await t().db.select().from(auditEvents).where(eq(auditEvents.action, "mlflow.connected"));
      expect(JSON.stringify(event!.data)).not.toContain(TOKEN);
      // Saving again with a blank token keeps it (MLflow still accepts the calls).
      await connectMlflow(ada, { url: mlflow.url, token: "" });
      expect((await readMlflowAdmin(ada)).connection?.tokenSet).toBe(true);
      expect(await auditCount("mlflow.connected")).toBe(2);
    });

    it("two admins connecting at once leave one connection", async () => {
      const ada = await as("ada@example.com");
      const { statuses } = await race([
        () => connectMlflow(ada, { url: mlflow.url }),
        () => connectMlflow(ada, { url: mlflow.url }),
      ]);
      expect(statuses.every((s) => s === 409)).toBe(true);
      expect((await readMlflowAdmin(ada)).connection?.url).toBe(mlflow.url);
    });
  });

  describe("picking models", () => {
    it("refuses anyone but an admin, and bad input at the field", async () => {
      await expectStatus(
        pickMlflowModel(await as("alice@example.com"), { mlflowName: "churn", teamId: fraudTeam }),
        403,
      );
      const ada = await as("ada@example.com");
      expect(
        (await expectStatus(pickMlflowModel(ada, { mlflowName: "churn" }), 400)).fieldErrors?.teamId,
      ).toBeDefined();
      const unknown = await expectStatus(pickMlflowModel(ada, { mlflowName: "no-such-model", teamId: fraudTeam }), 400);
      expect(unknown.fieldErrors?.mlflowName?.[0]).toMatch(/no registered model/);
      const badName = await expectStatus(
        pickMlflowModel(ada, { mlflowName: "churn", teamId: fraudTeam, name: "Not Valid!" }),
        400,
      );
      expect(badName.fieldErrors?.name).toBeDefined();
    });

    it("picks a model for a team, creating its Greenlight model; a double pick at once keeps one", async () => {
      const ada = await as("ada@example.com");
      const picked = await pickMlflowModel(ada, { mlflowName: "Fraud Scorer", teamId: fraudTeam });
      expect(picked.model).toBe("fraud-scorer");
      const { ok, statuses } = await race([
        () => pickMlflowModel(ada, { mlflowName: "churn", teamId: fraudTeam }),
        () => pickMlflowModel(ada, { mlflowName: "churn", teamId: fraudTeam }),
      ]);
      expect(ok).toHaveLength(1);
      expect(statuses).toEqual([409]);
      expect(await t().db.$count(mlflowModels)).toBe(2);
      const view = await readMlflowAdmin(ada);
      expect(view.models.map((m) => [m.mlflowName, m.model, m.team, m.importedCount])).toEqual([
        ["Fraud Scorer", "fraud-scorer", "Fraud", 0],
        ["churn", "churn", "Fraud", 0],
      ]);
    });
  });

  describe("importing", () => {
    it("imports both models' versions across pages, with params, metrics, dataset, source and run", async () => {
      const result = await syncMlflow(t().db);
      expect(result).toMatchObject({ status: "done", imported: 5 });
      // Two per page: Fraud Scorer took pages of 2 + 1, churn 2 + 1 (its third is still registering).
      const searches = mlflow.calls.filter((c) => c.startsWith("GET model-versions/search"));
      expect(searches.filter((c) => c.includes("page_token="))).toHaveLength(2);
      const scorer = await versionsOf("fraud-scorer");
      expect(scorer.map((v) => v.version)).toEqual(["1", "2", "3"]);
      expect(scorer[1]).toEqual({
        version: "2",
        sourceUri: "s3://mlflow/artifacts/Fraud Scorer/2",
        trainingRunId: "runFraudScorer2",
        gitCommit: "abcdef02",
        hyperparameters: { learning_rate: "0.02", max_depth: "6" },
        metrics: { auc: 0.82 },
        datasetName: "Fraud Scorer-train",
        datasetVersion: "d2",
        framework: "mlflow",
        artifactDigest: null,
      });
      expect((await versionsOf("churn")).map((v) => v.version)).toEqual(["1", "2"]);
      expect(await auditCount("mlflow.version_imported")).toBe(5);
      const view = await readMlflowAdmin(await as("ada@example.com"));
      expect(view.models.map((m) => [m.mlflowName, m.importedCount, m.midPass, m.lastError])).toEqual([
        ["Fraud Scorer", 3, false, null],
        ["churn", 2, false, null],
      ]);
      expect(view.connection).toMatchObject({ syncing: false, lastSyncError: null, progress: { imported: 5 } });
    });

    it("a rerun imports nothing; a new version (and one finished registering) is imported alone", async () => {
      expect(await syncMlflow(t().db)).toMatchObject({ status: "done", imported: 0 });
      mlflow.addVersion("Fraud Scorer", { tags: [{ key: "artifact_digest", value: "ab".repeat(32) }] });
      mlflow.versions.find((v) => v.name === "churn" && v.version === "3")!.status = "READY";
      expect(await syncMlflow(t().db)).toMatchObject({ status: "done", imported: 2 });
      const scorer = await versionsOf("fraud-scorer");
      expect(scorer.map((v) => v.version)).toEqual(["1", "2", "3", "4"]);
      expect(scorer[3]!.artifactDigest).toBe(`sha256:${"ab".repeat(32)}`);
      expect((await versionsOf("churn")).map((v) => v.version)).toEqual(["1", "2", "3"]);
      expect(await auditCount("mlflow.version_imported")).toBe(7);
    });

    it("an interrupted pass resumes at the page it stopped on", async () => {
      for (let i = 0; i < 3; i++) mlflow.addVersion("churn");
      // churn now has 6 versions: pages [1,2] [3,4] [5,6]. The second page's call fails.
      let searches = 0;
      mlflow.failNext(1, (path) => path === "model-versions/search" && ++searches === 2 + 2 /* Fraud Scorer took 2 */);
      const first = await syncMlflow(t().db);
      expect(first.status === "done" && first.models.find((m) => m.mlflowName === "churn")?.error).toMatch(/503/);
      const view = await readMlflowAdmin(await as("ada@example.com"));
      expect(view.models.find((m) => m.mlflowName === "churn")).toMatchObject({
        midPass: true,
        lastError: expect.stringMatching(/503/),
      });
      expect(view.connection?.lastSyncError).toMatch(/churn/);
      const mark = mlflow.calls.length;
      expect(await syncMlflow(t().db, { models: ["churn"] })).toMatchObject({ status: "done", imported: 3 });
      // The resumed pass started at the saved page, not at the first.
      const firstSearch = mlflow.calls.slice(mark).find((c) => c.startsWith("GET model-versions/search"))!;
      expect(firstSearch).toContain("page_token=");
      expect((await versionsOf("churn")).map((v) => v.version)).toEqual(["1", "2", "3", "4", "5", "6"]);
      expect(
        (await readMlflowAdmin(await as("ada@example.com"))).models.find((m) => m.mlflowName === "churn"),
      ).toMatchObject({
        midPass: false,
        lastError: null,
        importedCount: 6,
      });
    });

    it("two syncs at once: one runs, the other is told it is busy, nothing is imported twice", async () => {
      mlflow.addVersion("Fraud Scorer");
      const [a, b] = await Promise.all([syncMlflow(t().db), syncMlflow(t().db)]);
      expect([a.status, b.status].sort()).toEqual(["busy", "done"]);
      expect((await versionsOf("fraud-scorer")).map((v) => v.version)).toEqual(["1", "2", "3", "4", "5"]);
      expect(await t().db.$count(mlflowVersionLinks)).toBe(11);
    });

    it("names the models it was asked for but are not picked", async () => {
      expect(await syncMlflow(t().db, { models: ["unpicked-model"] })).toMatchObject({
        status: "done",
        imported: 0,
        unknown: ["unpicked-model"],
      });
    });
  });

  describe("writing back", () => {
    const writeBackRows = () => t().db.select().from(mlflowWriteBacks).orderBy(mlflowWriteBacks.createdAt);

    it("sets an alias per environment: admins only, MLflow's reserved names refused", async () => {
      await expectStatus(
        setMlflowAlias(await as("lee@example.com"), { environment: "staging", alias: "staging" }),
        403,
      );
      const ada = await as("ada@example.com");
      expect(
        (await expectStatus(setMlflowAlias(ada, { environment: "staging", alias: "latest" }), 400)).fieldErrors?.alias,
      ).toBeDefined();
      expect(
        (await expectStatus(setMlflowAlias(ada, { environment: "staging", alias: "v3" }), 400)).fieldErrors?.alias,
      ).toBeDefined();
      expect(
        (await expectStatus(setMlflowAlias(ada, { environment: "nowhere", alias: "x" }), 400)).fieldErrors?.environment,
      ).toBeDefined();
      // Two environments set at the same moment both keep theirs (the connection row is locked).
      await Promise.all([
        setMlflowAlias(ada, { environment: "staging", alias: "staging" }),
        setMlflowAlias(ada, { environment: "production", alias: "production" }),
      ]);
      const aliases = Object.fromEntries((await readMlflowAdmin(ada)).aliases.map((a) => [a.environment, a.alias]));
      expect(aliases).toMatchObject({ staging: "staging", production: "production" });
    });

    it("approval writes the request's tag, deployment its status and the environment's alias", async () => {
      const alice = await as("alice@example.com");
      const { number } = await createRequest(alice, {
        model: "fraud-scorer",
        version: "3",
        environment: "staging",
        title: "Ship the MLflow scorer",
      });
      await submitRequest(alice, { number });
      await decide(await as("lee@example.com"), { number, decision: "approve" });
      // Queued in the approval's transaction; made after it, by the job.
      expect((await writeBackRows()).map((r) => [r.status, r.state, r.alias])).toEqual([["approved", "pending", null]]);
      expect(await processMlflowWriteBacks(t().db)).toEqual({ done: 1, retrying: 0, failed: 0 });
      expect(mlflow.tagsOf("Fraud Scorer", "3")).toEqual({
        "greenlight.request": `CR-${number}`,
        "greenlight.status": "approved",
      });

      await markDeployed(alice, { number });
      expect(await processMlflowWriteBacks(t().db)).toEqual({ done: 1, retrying: 0, failed: 0 });
      expect(mlflow.tagsOf("Fraud Scorer", "3")).toMatchObject({ "greenlight.status": "deployed" });
      expect(mlflow.aliasesOf("Fraud Scorer")).toEqual({ staging: "3" });
    });

    it("a failing MLflow never fails the decision: the write-back retries with backoff, in order", async () => {
      const alice = await as("alice@example.com");
      const { number } = await createRequest(alice, {
        model: "fraud-scorer",
        version: "2",
        environment: "staging",
        title: "Again",
      });
      await submitRequest(alice, { number });
      mlflow.failNext(1, (path) => path === "model-versions/set-tag");
      await decide(await as("lee@example.com"), { number, decision: "approve" });
      expect(await processMlflowWriteBacks(t().db)).toEqual({ done: 0, retrying: 1, failed: 0 });
      const [row] = (await writeBackRows()).filter((r) => r.requestNumber === number);
      expect(row).toMatchObject({ state: "pending", attempts: 1, lastError: expect.stringMatching(/503/) });
      expect((await readMlflowAdmin(await as("ada@example.com"))).writeBacks).toMatchObject({ pending: 1 });
      // The revocation queued behind it waits for it: MLflow must end on "revoked", not "approved".
      await revokeRequest(await as("lee@example.com"), { number, reason: "Found a leak in the features." });
      expect(await processMlflowWriteBacks(t().db)).toEqual({ done: 0, retrying: 0, failed: 0 }); // not due yet
      const later = () => new Date(Date.now() + 3_600_000);
      expect(await processMlflowWriteBacks(t().db, { now: later })).toEqual({ done: 2, retrying: 0, failed: 0 });
      expect(mlflow.tagsOf("Fraud Scorer", "2")).toEqual({
        "greenlight.request": `CR-${number}`,
        "greenlight.status": "revoked",
      });
    });

    it("two workers at once make each write-back once", async () => {
      const alice = await as("alice@example.com");
      const { number } = await createRequest(alice, {
        model: "churn",
        version: "1",
        environment: "staging",
        title: "Churn",
      });
      await submitRequest(alice, { number });
      await decide(await as("lee@example.com"), { number, decision: "approve" });
      const mark = mlflow.calls.length;
      const runs = await Promise.all([processMlflowWriteBacks(t().db), processMlflowWriteBacks(t().db)]);
      expect(runs.reduce((n, r) => n + r.done, 0)).toBe(1);
      expect(mlflow.calls.slice(mark).filter((c) => c.startsWith("POST model-versions/set-tag"))).toHaveLength(2);
    });

    it("a version registered by hand queues nothing for MLflow", async () => {
      const before = await t().db.$count(mlflowWriteBacks);
      const alice = await as("alice@example.com");
      const { number } = await createRequest(alice, {
        model: "fraud-detector",
        version: "v2",
        environment: "staging",
        title: "Hand",
      });
      await submitRequest(alice, { number });
      await decide(await as("lee@example.com"), { number, decision: "approve" });
      expect(await t().db.$count(mlflowWriteBacks)).toBe(before);
    });
  });

  describe("stopping", () => {
    it("unpicking: admins only; what was imported stays", async () => {
      const ada = await as("ada@example.com");
      const [churn] = await t().db.select().from(mlflowModels).where(eq(mlflowModels.mlflowName, "churn"));
      await expectStatus(unpickMlflowModel(await as("lee@example.com"), { id: churn!.id }), 403);
      await expectStatus(unpickMlflowModel(ada, { id: "nope" }), 400);
      const { ok, statuses } = await race([
        () => unpickMlflowModel(ada, { id: churn!.id }),
        () => unpickMlflowModel(ada, { id: churn!.id }),
      ]);
      expect(ok).toHaveLength(1);
      expect(statuses).toEqual([404]);
      expect((await versionsOf("churn")).length).toBe(6);
    });

    it("disconnecting needs an admin and a confirmation; imported versions stay marked as from MLflow", async () => {
      await expectStatus(disconnectMlflow(await as("alice@example.com"), { confirm: "on" }), 403);
      const ada = await as("ada@example.com");
      expect((await expectStatus(disconnectMlflow(ada, {}), 400)).fieldErrors?.confirm).toBeDefined();
      const { ok, statuses } = await race([
        () => disconnectMlflow(ada, { confirm: "on" }),
        () => disconnectMlflow(ada, { confirm: "on" }),
      ]);
      expect(ok).toHaveLength(1);
      expect(statuses).toEqual([404]);
      expect((await readMlflowAdmin(ada)).connection).toBeNull();
      const links = await t()
        .db.select()
        .from(mlflowVersionLinks)
        .where(and(eq(mlflowVersionLinks.mlflowName, "Fraud Scorer"), eq(mlflowVersionLinks.mlflowVersion, "3")));
      expect(links).toMatchObject([{ connectionId: null, trackingUrl: mlflow.url, runId: "runFraudScorer3" }]);
      expect(await syncMlflow(t().db)).toEqual({ status: "not_connected" });
      // The version page still says where it came from, linking to MLflow's UI.
      const [v3] = await t()
        .db.select({ id: modelVersions.id })
        .from(modelVersions)
        .innerJoin(models, eq(models.id, modelVersions.modelId))
        .where(and(eq(models.name, "fraud-scorer"), eq(modelVersions.version, "3")));
      expect(await readMlflowOrigin(await as("bob@example.com"), v3!.id)).toEqual({
        mlflowName: "Fraud Scorer",
        mlflowVersion: "3",
        runId: "runFraudScorer3",
        href: `${mlflow.url}/#/models/Fraud%20Scorer/versions/3`,
      });
    });

    it("connecting to another server forgets the old one's picks (its versions stay)", async () => {
      const other = await new FakeMlflow().start();
      try {
        other.addModel("churn", 1);
        const ada = await as("ada@example.com");
        await connectMlflow(ada, { url: mlflow.url, token: TOKEN });
        await pickMlflowModel(ada, { mlflowName: "churn", teamId: fraudTeam });
        expect((await readMlflowAdmin(ada)).models).toHaveLength(1);
        await connectMlflow(ada, { url: other.url, clearToken: "on" });
        const view = await readMlflowAdmin(ada);
        expect(view.connection).toMatchObject({ url: other.url, tokenSet: false });
        expect(view.models).toEqual([]);
      } finally {
        await other.stop();
      }
    });
  });
});
