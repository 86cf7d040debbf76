import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it, vi } from "vitest";
import { auditEvents, notifications, teams, webhookDeliveries } from "../../db/schema";
import { importTableSchema } from "../../lib/datasets/table-schema";
import { renderTemplate } from "../../lib/notifications/templates";
import { savePolicy } from "../../lib/policies/save-policy";
import { registerVersion } from "../../lib/models/register-version";
import { createRequest } from "../../lib/requests/create-request";
import { readRequestPage } from "../../lib/requests/read-request-page";
import { submitRequest } from "../../lib/requests/submit-request";
import { decide } from "../../lib/requests/decide";
import { markDeployed } from "../../lib/requests/mark-deployed";
import { withdrawRequest } from "../../lib/requests/withdraw-request";
import { createToken } from "../../lib/tokens/create-token";
import { createWebhook } from "../../lib/webhooks/create-webhook";
import { describeDb } from "../support/database";
import { actorFor, expectStatus } from "../support/fixtures";
import { artifactDigestOf, seedRegistry } from "../support/registry";
import { callRoute, type Handler } from "../support/routes";

const state = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("../../lib/session/config", () => ({ auth: async () => null, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));

const datasetsRoute = await import("../../app/api/v1/datasets/route");
const datasetRoute = await import("../../app/api/v1/datasets/[name]/route");
const versionsRoute = await import("../../app/api/v1/datasets/[name]/versions/route");
const versionRoute = await import("../../app/api/v1/datasets/[name]/versions/[version]/route");
const exportRoute = await import("../../app/api/v1/datasets/[name]/versions/[version]/table-schema/route");
const diffRoute = await import("../../app/api/v1/datasets/[name]/diff/route");
const modelVersionsRoute = await import("../../app/api/v1/models/[name]/versions/route");
const requestRoute = await import("../../app/api/v1/requests/[number]/route");

// Written from the Table Schema spec: a primary key, missing values, range and enum constraints,
// and Greenlight's own facts as greenlight: properties.
const transactionsV1 = {
  fields: [
    { name: "transaction_id", type: "string", format: "uuid", constraints: { required: true, unique: true } },
    {
      name: "amount",
      type: "integer",
      title: "Amount",
      description: "What the card was charged.",
      example: 1250,
      constraints: { required: true, minimum: 0 },
      "greenlight:unit": "cents",
      "greenlight:populatedBy": "Ledger export, nightly",
      "greenlight:owningTeam": "Fraud",
    },
    { name: "channel", type: "string", constraints: { enum: ["web", "app", "pos"] } },
    { name: "country", type: "string", description: "ISO 3166-1 alpha-2" },
    { name: "is_fraud", type: "boolean", description: "Confirmed chargeback for fraud." },
  ],
  primaryKey: "transaction_id",
  missingValues: ["", "NA"],
};
const withAmountIn = (unit: string) => ({
  ...transactionsV1,
  fields: transactionsV1.fields.map((f) => (f.name === "amount" ? { ...f, "greenlight:unit": unit } : f)),
});
const SENTENCE = "column `amount` changed meaning since this model was trained: cents -> dollars";

describeDb("the data dictionary: datasets, versions, Table Schema, and models that use its columns", (t) => {
  const tokens: Record<string, string> = {};
  let fraudTeam: string;
  let searchTeam: string;
  const as = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });
  const call = (
    handler: unknown,
    path: string,
    who: string,
    opts: { method?: string; body?: unknown; params?: Record<string, string>; query?: string } = {},
  ) =>
    callRoute(handler as Handler, path, {
      method: opts.method ?? "GET",
      token: tokens[who],
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      params: opts.params,
      query: opts.query,
    });
  const createDataset = (who: string, body: unknown) =>
    call(datasetsRoute.POST, "/api/v1/datasets", who, { method: "POST", body });
  const addVersion = (who: string, name: string, body: unknown) =>
    call(versionsRoute.POST, `/api/v1/datasets/${name}/versions`, who, { method: "POST", body, params: { name } });

  beforeAll(async () => {
    state.db = t().db;
    await seedRegistry(t().db);
    for (const email of ["maya", "mo", "alice", "lee", "ada", "bob"]) {
      tokens[email] = (await createToken(await as(`${email}@example.com`), { name: "datasets" })).token;
    }
    const rows = await t().db.select({ id: teams.id, name: teams.name }).from(teams);
    fraudTeam = rows.find((r) => r.name === "Fraud")!.id;
    searchTeam = rows.find((r) => r.name === "Search")!.id;
  });

  it("a Fraud manager creates a dataset and its first version from a Table Schema; export reads back to the same columns", async () => {
    const created = await createDataset("maya", {
      name: "transactions",
      teamId: fraudTeam,
      description: "Card transactions, one row per ledger line.",
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: "transactions", team: "Fraud" });

    const v1 = await addVersion("maya", "transactions", {
      version: "v1",
      note: "First cut",
      tableSchema: transactionsV1,
    });
    expect(v1.status, JSON.stringify(v1.body)).toBe(201);
    expect(v1.body).toMatchObject({ version: "v1", seq: 1, columns: 5, affected: { modelVersions: [] } });

    const exported = await call(exportRoute.GET, "/api/v1/datasets/transactions/versions/v1/table-schema", "bob", {
      params: { name: "transactions", version: "v1" },
    });
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-disposition")).toContain("transactions-v1.schema.json");
    const before = importTableSchema(transactionsV1);
    const after = importTableSchema(exported.body);
    expect(after).toEqual(before);
    const amount = (exported.body as { fields: Record<string, unknown>[] }).fields[1]!;
    expect(amount).toMatchObject({ "greenlight:unit": "cents", constraints: { required: true, minimum: 0 } });

    const read = await call(versionRoute.GET, "/api/v1/datasets/transactions/versions/v1", "bob", {
      params: { name: "transactions", version: "v1" },
    });
    expect(read.body).toMatchObject({ version: "v1", primaryKey: ["transaction_id"], missingValues: ["", "NA"] });
    const audit = await t()
      .db.select({ action: auditEvents.action, data: auditEvents.data })
      .from(auditEvents)
      .where(eq(auditEvents.action, "dataset.version_created"));
    expect(audit.at(-1)?.data).toMatchObject({ dataset: "transactions", version: "v1", columns: 5 });
  });

  it("everyone signed in browses and searches the dictionary, by name, description or column", async () => {
    const all = await call(datasetsRoute.GET, "/api/v1/datasets", "bob");
    expect(all.status).toBe(200);
    expect((all.body as { datasets: { name: string }[] }).datasets.map((d) => d.name)).toContain("transactions");
    for (const q of ["transac", "ledger line", "is_fraud"]) {
      const found = await call(datasetsRoute.GET, "/api/v1/datasets", "bob", { query: `?q=${encodeURIComponent(q)}` });
      expect((found.body as { datasets: { name: string }[] }).datasets.map((d) => d.name)).toEqual(["transactions"]);
    }
    const none = await call(datasetsRoute.GET, "/api/v1/datasets", "bob", { query: "?q=%25" });
    expect((none.body as { datasets: unknown[] }).datasets).toEqual([]);
    const one = await call(datasetRoute.GET, "/api/v1/datasets/transactions", "alice", {
      params: { name: "transactions" },
    });
    expect(one.body).toMatchObject({ name: "transactions", totalVersions: 1 });
    const missing = await call(datasetRoute.GET, "/api/v1/datasets/nope", "alice", { params: { name: "nope" } });
    expect(missing.status).toBe(404);
  });

  it("refuses those who may not write: a requester (403), another team's manager (400 at teamId or dataset)", async () => {
    expect((await createDataset("alice", { name: "sneaky", teamId: fraudTeam })).status).toBe(403);
    const otherTeam = await createDataset("mo", { name: "sneaky", teamId: fraudTeam });
    expect(otherTeam.status).toBe(400);
    expect(otherTeam.body.errors.teamId).toBeDefined();
    expect((await addVersion("alice", "transactions", { version: "v9", tableSchema: transactionsV1 })).status).toBe(
      403,
    );
    const mo = await addVersion("mo", "transactions", { version: "v9", tableSchema: transactionsV1 });
    expect(mo.status).toBe(400);
    expect(mo.body.errors.dataset).toBeDefined();
    // Mo may add one for Search.
    expect((await createDataset("mo", { name: "queries", teamId: searchTeam })).status).toBe(201);
  });

  it("bad input is a 400 with field errors at the Table Schema's JSON path, never a 500", async () => {
    const badType = await addVersion("maya", "transactions", {
      version: "v9",
      tableSchema: { fields: [{ name: "a" }, { name: "b" }, { name: "c" }, { name: "d", type: "money" }] },
    });
    expect(badType.status).toBe(400);
    expect(Object.keys(badType.body.errors)).toEqual(["tableSchema.fields[3].type"]);
    const badKey = await addVersion("maya", "transactions", {
      version: "v9",
      tableSchema: { fields: [{ name: "a" }], primaryKey: ["a", "b"] },
    });
    expect(Object.keys(badKey.body.errors)).toEqual(["tableSchema.primaryKey[1]"]);
    const tooMany = await addVersion("maya", "transactions", {
      version: "v9",
      tableSchema: { fields: Array.from({ length: 2001 }, (_, i) => ({ name: `c${i}` })) },
    });
    expect(tooMany.status).toBe(400);
    expect(Object.keys(tooMany.body.errors)).toEqual(["tableSchema.fields"]);
    const notJson = await addVersion("maya", "transactions", { version: "v9", tableSchema: "{nope" });
    expect(notJson.body.errors.tableSchema).toBeDefined();
    const badLabel = await addVersion("maya", "transactions", { version: "no spaces", tableSchema: transactionsV1 });
    expect(badLabel.body.errors.version).toBeDefined();
    const badName = await createDataset("maya", { name: "Bad Name", teamId: fraudTeam });
    expect(badName.body.errors.name).toBeDefined();
    const taken = await createDataset("maya", { name: "transactions", teamId: fraudTeam });
    expect(taken.status).toBe(400);
    expect(taken.body.errors.name[0]).toMatch(/already exists/);
    const diff = await call(diffRoute.GET, "/api/v1/datasets/transactions/diff", "bob", {
      params: { name: "transactions" },
      query: "?from=v1",
    });
    expect(diff.status).toBe(400);
    expect(diff.body.errors.to).toBeDefined();
  });

  it("two versions with the same label at once: one is created, the other is a clean 409", async () => {
    expect((await createDataset("lee", { name: "race-ds", teamId: fraudTeam })).status).toBe(201);
    const results = await Promise.all(
      [0, 1, 2].map(() => addVersion("lee", "race-ds", { version: "v1", tableSchema: { fields: [{ name: "x" }] } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    // And different labels at once are numbered one after the other.
    const more = await Promise.all(
      ["v2", "v3"].map((version) =>
        addVersion("lee", "race-ds", { version, tableSchema: { fields: [{ name: "x" }] } }),
      ),
    );
    expect(more.map((r) => r.status)).toEqual([201, 201]);
    expect(more.map((r) => r.body.seq).sort()).toEqual([2, 3]);
  });

  it("a model version names its dataset version, features and label; unknown columns are a 400 naming them", async () => {
    const register = (body: Record<string, unknown>) =>
      call(modelVersionsRoute.POST, "/api/v1/models/fraud-detector/versions", "alice", {
        method: "POST",
        params: { name: "fraud-detector" },
        body: {
          sourceUri: "s3://m/v9",
          framework: "xgboost",
          hyperparameters: {},
          metrics: {},
          dataset: { name: "transactions", version: "v1" },
          ...body,
        },
      });
    const unknown = await register({ version: "v9", features: ["amount", "colour"], label: "is_fraud" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.features[0]).toContain('"colour"');
    const noSuchVersion = await register({ version: "v9", dataset: { name: "transactions", version: "v7" } });
    expect(noSuchVersion.body.errors.dataset).toBeDefined();
    const linked = await register({
      version: "v9",
      artifactDigest: artifactDigestOf("v9"),
      features: ["amount", "country", "channel"],
      label: "is_fraud",
    });
    expect(linked.status, JSON.stringify(linked.body)).toBe(201);
    expect(linked.body).toMatchObject({ datasetName: "transactions", datasetVersion: "v1" });
    const usedBy = await call(datasetRoute.GET, "/api/v1/datasets/transactions", "bob", {
      params: { name: "transactions" },
    });
    expect(usedBy.body.usedBy).toEqual([
      {
        model: "fraud-detector",
        version: "v9",
        datasetVersion: "v1",
        features: ["amount", "country", "channel"],
        label: "is_fraud",
      },
    ]);
  });

  it("the form links a version through its dataset name and version fields when it names features or a label", async () => {
    const alice = await as("alice@example.com");
    const base = {
      model: "fraud-detector",
      sourceUri: "s3://m/form",
      framework: "xgboost",
      hyperparameters: "",
      metrics: "",
      datasetName: "transactions",
    };
    const unknownVersion = await expectStatus(
      registerVersion(alice, { ...base, version: "f1", datasetVersion: "2026-11", features: "amount", label: "" }),
      400,
    );
    expect(unknownVersion.fieldErrors?.datasetVersion?.[0]).toMatch(/no transactions version 2026-11/);
    const badLabel = await expectStatus(
      registerVersion(alice, {
        ...base,
        version: "f1",
        datasetVersion: "v1",
        features: "amount, country",
        label: "amount",
      }),
      400,
    );
    expect(badLabel.fieldErrors?.label?.[0]).toMatch(/listed as a feature too/);
    const linked = await registerVersion(alice, {
      ...base,
      version: "f1",
      datasetVersion: "v1",
      features: "amount, country\nchannel",
      label: "is_fraud",
    });
    expect(linked).toMatchObject({ features: ["amount", "country", "channel"], label: "is_fraud" });
    expect(linked.datasetVersionId).not.toBeNull();
    // Without features or a label, a dataset outside the dictionary is only a name, as before.
    const plain = await registerVersion(alice, {
      ...base,
      version: "f2",
      datasetName: "elsewhere",
      datasetVersion: "9",
    });
    expect(plain).toMatchObject({ datasetVersionId: null, features: null, label: null });
  });

  it("a new version changing `amount` from cents to dollars reaches the open request's requester, by email and on the request page", async () => {
    const alice = await as("alice@example.com");
    const { number } = await createRequest(alice, {
      model: "fraud-detector",
      version: "v9",
      environment: "staging",
      title: "Ship v9 to staging",
    });
    await submitRequest(alice, { number });
    const before = await readRequestPage(alice, { number: String(number) });
    expect(before.datasetChanges).toBeNull();
    const endpoint = await createWebhook(await as("ada@example.com"), {
      url: "http://127.0.0.1:9/dictionary",
      events: ["dataset.version_created"],
    });

    const v2 = await addVersion("maya", "transactions", {
      version: "v2",
      note: "Amounts in dollars",
      tableSchema: withAmountIn("dollars"),
    });
    expect(v2.status, JSON.stringify(v2.body)).toBe(201);
    expect(v2.body.affected).toEqual({
      modelVersions: [{ model: "fraud-detector", version: "v9", requests: [number] }],
      truncated: false,
    });

    const mail = await t()
      .db.select()
      .from(notifications)
      .where(and(eq(notifications.template, "dataset-changed"), eq(notifications.recipientEmail, "alice@example.com")));
    expect(mail).toHaveLength(1); // Alice owns the model, wrote the version and filed the request: one email
    const { text } = await renderTemplate(mail[0]!.template, mail[0]!.payload);
    expect(text).toContain(SENTENCE);
    expect(text).toContain(`CR-${number}`);
    expect(text).toContain("/datasets/transactions/diff?from=v1&to=v2");
    // Subscribers hear of the new version by webhook, queued with it.
    const deliveries = await t()
      .db.select({ eventType: webhookDeliveries.eventType })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, endpoint.id));
    expect(deliveries.map((d) => d.eventType)).toEqual(["dataset.version_created"]);

    const overApi = await call(requestRoute.GET, `/api/v1/requests/${number}`, "alice", {
      params: { number: String(number) },
    });
    expect(overApi.body.datasetChanges).toEqual({
      dataset: "transactions",
      trainedOn: "v1",
      latest: "v2",
      sentences: [SENTENCE],
    });
    const page = await readRequestPage(alice, { number: String(number) });
    expect(page.datasetChanges).toEqual({
      dataset: "transactions",
      trainedOn: "v1",
      latest: "v2",
      sentences: [SENTENCE],
    });
    expect(page.timeline.find((e) => e.action === "request.dataset_changed")?.data).toMatchObject({
      dataset: "transactions",
      version: "v2",
      sentences: [SENTENCE],
    });

    // A version that changes only a column the model does not read tells nobody.
    const v3 = await addVersion("maya", "transactions", {
      version: "v3",
      tableSchema: {
        ...withAmountIn("dollars"),
        fields: [...withAmountIn("dollars").fields, { name: "merchant_id", type: "string" }],
      },
    });
    expect(v3.status).toBe(201);
    expect(v3.body.affected.modelVersions).toEqual([{ model: "fraud-detector", version: "v9", requests: [number] }]); // still changed since v1 (its training), so still told: the unit is still dollars
    await withdrawRequest(alice, { number });
  });

  it("the diff endpoint lists added, removed and changed columns with what changed", async () => {
    const diff = await call(diffRoute.GET, "/api/v1/datasets/transactions/diff", "bob", {
      params: { name: "transactions" },
      query: "?from=v1&to=v3",
    });
    expect(diff.status).toBe(200);
    expect(diff.body).toEqual({
      dataset: "transactions",
      from: "v1",
      to: "v3",
      added: ["merchant_id"],
      removed: [],
      changed: [{ name: "amount", material: true, changes: [{ fact: "unit", before: "cents", after: "dollars" }] }],
    });
  });

  it("a live model version (no open request) is affected too: its owner is told of the column that changed", async () => {
    const alice = await as("alice@example.com");
    await registerVersion(alice, {
      model: "fraud-detector",
      version: "v10",
      sourceUri: "s3://m/v10",
      framework: "xgboost",
      hyperparameters: {},
      metrics: {},
      dataset: { name: "transactions", version: "v3" },
      features: ["channel"],
      label: "is_fraud",
    });
    const { number } = await createRequest(alice, {
      model: "fraud-detector",
      version: "v10",
      environment: "staging",
      title: "Ship v10 to staging",
    });
    await submitRequest(alice, { number });
    await decide(await as("lee@example.com"), { number, decision: "approve" });
    await markDeployed(alice, { number });
    const fewerChannels = {
      ...withAmountIn("dollars"),
      fields: withAmountIn("dollars").fields.map((f) =>
        f.name === "channel" ? { ...f, constraints: { enum: ["web", "app"] } } : f,
      ),
    };
    const v4 = await addVersion("maya", "transactions", { version: "v4", tableSchema: fewerChannels });
    expect(v4.status, JSON.stringify(v4.body)).toBe(201);
    expect(v4.body.affected.modelVersions).toEqual([{ model: "fraud-detector", version: "v10", requests: [] }]);
    const mail = await t()
      .db.select()
      .from(notifications)
      .where(and(eq(notifications.template, "dataset-changed"), eq(notifications.recipientEmail, "alice@example.com")));
    const latest = mail.find((m) => (m.payload as { version?: string }).version === "v4")!;
    const { text } = await renderTemplate(latest.template, latest.payload);
    expect(text).toContain(
      'column `channel` changed allowed values since this model was trained: one of "web", "app", "pos" -> one of "web", "app"',
    );
  });

  it("a policy on usesChangedColumn adds a data-owner review to a request whose model uses a changed column, and not to others", async () => {
    await savePolicy(await as("ada@example.com"), {
      name: "Data owner review",
      active: true,
      definition: {
        conditions: { kinds: ["deployment"], usesChangedColumn: true },
        stages: [[{ name: "Data owner review", role: "manager", scope: "any", quorum: 1, slaHours: 48 }]],
      },
    });
    const alice = await as("alice@example.com");
    const changed = await createRequest(alice, {
      model: "fraud-detector",
      version: "v9",
      environment: "staging",
      title: "Ship v9 again",
    });
    const { steps } = await submitRequest(alice, { number: changed.number });
    expect(steps.map((s) => s.name)).toContain("Data owner review");
    const unlinked = await createRequest(alice, {
      model: "fraud-detector",
      version: "v2",
      environment: "staging",
      title: "Ship v2",
    });
    const other = await submitRequest(alice, { number: unlinked.number });
    expect(other.steps.map((s) => s.name)).not.toContain("Data owner review");
  });
});
