import { readFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { notifications, teams } from "../../db/schema";
import { setBudget } from "../../lib/budgets/set-budget";
import { readModelPage, readModelsPage, readVersionPage } from "../../lib/models/queries";
import { registerVersion } from "../../lib/models/register-version";
import { listPolicies } from "../../lib/policies/queries";
import { savePolicy } from "../../lib/policies/save-policy";
import { createRequest } from "../../lib/requests/create-request";
import { decide } from "../../lib/requests/decide";
import { gate } from "../../lib/requests/gate";
import { markDeployed } from "../../lib/requests/mark-deployed";
import { previewChain } from "../../lib/requests/preview-chain";
import { readRequestPage } from "../../lib/requests/read-request-page";
import { readRequestsPage } from "../../lib/requests/queries";
import { requestListJson } from "../../lib/requests/api-shape";
import { readStranded, strandedJson, strandedWarning } from "../../lib/requests/stranded";
import { revokeRole } from "../../lib/users/revoke-role";
import { submitRequest } from "../../lib/requests/submit-request";
import { updateRequest } from "../../lib/requests/update-request";
import { uploadManifest } from "../../lib/requests/upload-manifest";
import { importAdvisories } from "../../lib/security/import-advisories";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, race } from "../support/fixtures";
import { addPeople, artifactDigestOf, seedRegistry } from "../support/registry";

// Approval guarantees: chains that can complete, risk from the facts, the emergency gate, approvers
// seeing the model, budget figures only for those who may see the budget. The tests run in order:
// the organisation starts with one ML lead (Lee) and one manager per team, and gains people as it goes.

const T0 = new Date("2031-09-01T08:00:00Z");
const after = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const osv = (id: string) => ({
  name: `${id}.json`,
  bytes: new Uint8Array(readFileSync(path.join(import.meta.dirname, "../fixtures/osv", `${id}.json`))),
});

describeDb("approval guarantees", (t) => {
  beforeAll(async () => seedRegistry(t().db));
  const as = async (email: string, now?: Date) => ({ db: t().db, actor: await actorFor(t().db, email), now });
  const file = async (version: string, environment: "staging" | "production", extra: Record<string, unknown> = {}) =>
    (
      await createRequest(await as("alice@example.com"), {
        model: "fraud-detector",
        version,
        environment,
        title: `Deploy ${version} to ${environment}`,
        ...extra,
      })
    ).number;
  const row = async (number: number) =>
    (
      await t()
        .sql`select status, revision, emergency, risk, effective_risk, risk_factors from change_requests where number = ${number}`
    )[0]!;
  const chain = async (number: number) =>
    (
      await t()
        .sql`select s.stage, s.name, s.role, s.quorum from request_steps s join change_requests r on r.id = s.request_id and r.revision = s.revision where r.number = ${number} order by s.stage, s.role`
    ).map((s) => `${s.stage}:${s.role}x${s.quorum}`);
  const mailAbout = async (number: number) =>
    t()
      .db.select()
      .from(notifications)
      .where(sql`${notifications.payload}->>'number' = ${String(number)}`);
  const step = (name: string, role: string, quorum: number, scope = "any") => ({
    name,
    role,
    scope,
    quorum,
    slaHours: 24,
    autoPass: "never",
  });

  it("save: a step whose quorum exceeds the people who may decide it is a 400 naming the step; team steps are checked per team", async () => {
    const ada = await as("ada@example.com");
    const leads = await expectStatus(
      savePolicy(ada, {
        name: "Two lead reviews",
        definition: {
          conditions: {},
          stages: [[step("Security look", "security", 1)], [step("ML lead review", "ml_lead", 2)]],
        },
      }),
      400,
    );
    expect(leads.fieldErrors?.["definition.stages.1.0.quorum"]).toEqual([
      "Stage 2 · ML lead review needs 2 ML leads; the organisation has 1 (Lee Tanaka)",
    ]);
    expect(leads.fieldErrors?.["definition.stages"]).toEqual([
      "Stage 2 · ML lead review needs 2 ML leads; the organisation has 1 (Lee Tanaka)",
    ]);
    // A team-scoped step depends on the team: every team that could file (both have a requester) is checked.
    const managers = await expectStatus(
      savePolicy(ada, {
        name: "Two managers",
        definition: { conditions: {}, stages: [[step("Budget sign-off", "manager", 2, "requester_team")]] },
      }),
      400,
    );
    expect(managers.fieldErrors?.["definition.stages.0.0.quorum"]).toEqual([
      "Stage 1 · Budget sign-off needs 2 managers of the requester's team; Fraud has 1 (Maya Lindqvist)",
      "Stage 1 · Budget sign-off needs 2 managers of the requester's team; Search has 1 (Mo Haddad)",
    ]);
    // Conditions naming one team: only that team is checked.
    const fraud = (await t().db.select().from(teams).where(eq(teams.name, "Fraud")))[0]!.id;
    const onlyFraud = await expectStatus(
      savePolicy(ada, {
        name: "Two Fraud managers",
        definition: {
          conditions: { teamIds: [fraud] },
          stages: [[step("Budget sign-off", "manager", 2, "requester_team")]],
        },
      }),
      400,
    );
    expect(Object.values(onlyFraud.fieldErrors ?? {}).flat()).not.toContainEqual(expect.stringContaining("Search"));
    // The same role and scope twice is one step in a chain (the higher quorum, the later stage): one lead is enough.
    const twice = await savePolicy(ada, {
      name: "Lead twice",
      active: false,
      definition: { conditions: {}, stages: [[step("First look", "ml_lead", 1)], [step("Second look", "ml_lead", 1)]] },
    });
    await savePolicy(ada, { ...twice, id: twice.id, expectedVersion: twice.version, active: true });
    await savePolicy(ada, { ...twice, id: twice.id, expectedVersion: twice.version + 1, active: false });
    // An inactive policy asks nobody: saved. Activating it later is checked.
    const parked = await savePolicy(ada, {
      name: "Two lead reviews",
      active: false,
      definition: { conditions: {}, stages: [[step("ML lead review", "ml_lead", 2)]] },
    });
    await expectStatus(
      savePolicy(ada, {
        id: parked.id,
        expectedVersion: parked.version,
        name: parked.name,
        active: true,
        definition: parked.definition,
      }),
      400,
    );
    const stored = (await listPolicies(t().db)).find((p) => p.id === parked.id)!;
    expect(stored).toMatchObject({ active: false, version: 1 });
  });

  it("preview: warns about a step nobody could complete, and shows the risk the facts raise", async () => {
    const alice = (await as("alice@example.com")).actor;
    const preview = await previewChain(t().db, alice, {
      kind: "deployment",
      title: "preview",
      model: "fraud-detector",
      version: "v1",
      environment: "production",
      risk: "low",
      emergency: true,
    });
    if ("error" in preview) throw new Error(preview.error);
    expect(preview.risk).toEqual({
      effective: "high",
      raisedBy: "High risk: an emergency change; declared low",
    });
    expect(preview.steps.map((s) => `${s.stage}:${s.role}x${s.quorum}`)).toEqual([
      "1:managerx1",
      "1:securityx1",
      "2:ml_leadx2",
    ]);
    expect(preview.warnings).toEqual([
      "Stage 2 · ML lead approval needs 2 ML leads; the organisation has 1 (Lee Tanaka): submitting would be refused until an admin fixes this.",
    ]);
    const staging = await previewChain(t().db, alice, {
      kind: "deployment",
      title: "preview",
      model: "fraud-detector",
      version: "v1",
      environment: "staging",
    });
    expect(staging).toMatchObject({ warnings: [], risk: { effective: "medium", raisedBy: null } });
  });

  it("submit: a chain that could never complete is refused with the reason, nothing taken; an edit in review is refused too", async () => {
    const number = await file("v1", "production", { risk: "low", emergency: true });
    expect(await row(number)).toMatchObject({ risk: "low", effective_risk: "high" });
    const refused = await expectStatus(submitRequest(await as("alice@example.com"), { number }), 409);
    expect(refused.message).toBe(
      `CR-${number} cannot go for approval: its chain could never complete. Stage 2 · ML lead approval needs 2 ML leads; the organisation has 1 (Lee Tanaka). Ask an admin to give the role to more people or to change the policy.`,
    );
    expect(await row(number)).toMatchObject({ status: "draft", revision: 1 });
    expect(await chain(number)).toEqual([]);
    expect(await mailAbout(number)).toEqual([]);
    const audit = await t().sql`select action from audit_events where data->>'number' = ${String(number)} order by seq`;
    expect(audit.map((a) => a.action)).toEqual(["request.created"]);

    // In review, an edit takes the chain again: an emergency now would need two ML leads. Refused, unchanged.
    const inReview = await file("v2", "production");
    await submitRequest(await as("alice@example.com"), { number: inReview });
    const edit = await expectStatus(
      updateRequest(await as("alice@example.com"), { number: inReview, emergency: true }),
      409,
    );
    expect(edit.message).toMatch(/ML lead approval needs 2 ML leads/);
    expect(await row(inReview)).toMatchObject({ status: "in_review", revision: 1, emergency: false });

    // A second ML lead: both go through, and five submits at once make one chain.
    await addPeople(t().db, "lead", 1, "ml_lead");
    const alice = await as("alice@example.com");
    const { ok, statuses } = await race(Array.from({ length: 5 }, () => () => submitRequest(alice, { number })));
    expect(ok).toHaveLength(1);
    expect(statuses).toEqual([409, 409, 409, 409]);
    expect(await chain(number)).toEqual(["1:managerx1", "1:securityx1", "2:ml_leadx2"]); // the merged lead step at the later stage
  });

  it("risk from the facts: a production request declared low with a malware package routes through the high-risk policy", async () => {
    await importAdvisories(await as("sam@example.com"), [osv("MAL-2024-4312")]);
    const number = await file("v3", "production", { risk: "low" });
    expect(await row(number)).toMatchObject({
      effective_risk: "medium",
      risk_factors: [{ fact: "a deployment to a protected environment (production)", risk: "medium" }],
    });
    await uploadManifest(await as("alice@example.com"), {
      number,
      fileName: "requirements.txt",
      content: "reqeusts==2.31.0",
    });
    const uploaded = await row(number);
    expect(uploaded).toMatchObject({ risk: "low", effective_risk: "high" });
    expect(uploaded.risk_factors).toEqual([
      { fact: "a deployment to a protected environment (production)", risk: "medium" },
      { fact: "a package with a malware record", risk: "high", detail: "reqeusts" },
      { fact: "a package new to the organisation", risk: "medium", detail: "reqeusts" },
    ]);
    await submitRequest(await as("alice@example.com"), { number });
    const policies = await t()
      .sql`select s.role, s.quorum, s.policies from request_steps s join change_requests r on r.id = s.request_id where r.number = ${number} and s.role = 'ml_lead'`;
    expect(policies[0]!.quorum).toBe(2);
    expect((policies[0]!.policies as { name: string }[]).map((p) => p.name).sort()).toEqual([
      "High-risk changes",
      "Production deployments",
    ]);
    const page = await readRequestPage(await as("lee@example.com"), { number: String(number) });
    expect(page.request).toMatchObject({
      risk: "low",
      effectiveRisk: "high",
      riskRaisedBy: "High risk: a package with a malware record (reqeusts); declared low",
    });

    // Revisions are judged afresh: a draft whose cost reaches 10,000 USD is high risk from its cost.
    const costly = await file("v4", "staging", { risk: "low" });
    await updateRequest(await as("alice@example.com"), {
      number: costly,
      currency: "USD",
      provisioning: [
        {
          instanceType: "p4d.24xlarge",
          gpuType: "A100",
          gpuCount: 8,
          nodes: 1,
          months: 1,
          pricingModel: "on_demand",
          pricePerHour: "2.50",
          priceSource: "AWS price list",
          priceDate: "2031-08-01",
        },
      ],
    });
    expect(await row(costly)).toMatchObject({
      effective_risk: "high",
      risk_factors: [{ fact: "a total cost at or over $10,000.00", risk: "high", detail: "$14,600.00" }],
    });
  });

  it("lists show the effective risk beside the declared one (page and API shape)", async () => {
    const listed = await readRequestsPage(await as("lee@example.com"), { q: "Deploy v3 to production" });
    const row = listed.rows.find((r) => r.title === "Deploy v3 to production")!;
    expect(row).toMatchObject({ risk: "low", effectiveRisk: "high" });
    expect(requestListJson(row)).toMatchObject({ risk: "low", effectiveRisk: "high" });
  });

  it("every role reads the models and versions, read-only unless they may register", async () => {
    for (const email of ["maya@example.com", "sam@example.com", "lee@example.com", "alice@example.com"]) {
      const ctx = await as(email);
      const list = await readModelsPage(ctx);
      expect(list.models.map((m) => m.name)).toContain("fraud-detector");
      const model = await readModelPage(ctx, { name: "fraud-detector" });
      const version = await readVersionPage(ctx, { name: "fraud-detector", version: "v1" });
      const registers = email === "lee@example.com" || email === "alice@example.com";
      expect(
        { list: list.myTeams.length > 0, model: model.can.addVersion, version: version.can.addVersion },
        email,
      ).toEqual({
        list: registers,
        model: registers,
        version: registers,
      });
    }
  });

  it("the request page shows the version beside the one live in that environment", async () => {
    const alice = await as("alice@example.com");
    const register = (
      version: string,
      metrics: Record<string, number>,
      hp: Record<string, unknown>,
      data = "2031-06",
    ) =>
      registerVersion(alice, {
        model: "fraud-detector",
        version,
        sourceUri: `s3://m/${version}`,
        artifactDigest: artifactDigestOf(version),
        framework: "xgboost",
        hyperparameters: hp,
        datasetName: "tx",
        datasetVersion: data,
        metrics,
      });
    await register("v20", { auc: 0.944, recall: 0.74 }, { depth: 8, eta: 0.05 });
    await register("v21", { auc: 0.951, recall: 0.76, f1: 0.7 }, { depth: 8, eta: 0.03 }, "2031-08");
    const live = await file("v20", "staging");
    await submitRequest(alice, { number: live });
    await decide(await as("lee@example.com"), { number: live, decision: "approve" });
    await markDeployed(alice, { number: live });
    const next = await file("v21", "staging");
    const page = await readRequestPage(await as("sam@example.com"), { number: String(next) });
    expect(page.model).toEqual({
      environment: "staging",
      version: { label: "v21", framework: "xgboost" },
      live: { label: "v20", framework: "xgboost", number: live, deployedAt: expect.any(String), same: false },
      comparison: {
        metrics: [
          { key: "auc", current: 0.951, live: 0.944, difference: 0.007 },
          { key: "f1", current: 0.7, live: undefined, difference: null },
          { key: "recall", current: 0.76, live: 0.74, difference: 0.02 },
        ],
        dataset: { current: "tx @ 2031-08", live: "tx @ 2031-06", changed: true },
        hyperparameters: [{ key: "eta", current: 0.03, live: 0.05 }],
      },
    });
    const production = await file("v21", "production");
    const nothing = await readRequestPage(await as("sam@example.com"), { number: String(production) });
    expect(nothing.model).toMatchObject({ live: null, comparison: { dataset: { live: null, changed: false } } });
    expect(nothing.model!.comparison.hyperparameters.map((h) => h.key)).toEqual(["depth", "eta"]);
  });

  it("emergency: past the retro deadline with steps pending the gate closes (and the page says overdue) until the chain completes", async () => {
    const { number } = await createRequest(await as("alice@example.com", T0), {
      model: "fraud-detector",
      version: "v5",
      environment: "production",
      title: "Hotfix",
      emergency: true,
    });
    await submitRequest(await as("alice@example.com", T0), { number });
    await decide(await as("lee@example.com", after(1)), { number, decision: "approve" });
    const ask = (now: Date) => gate(t().db, { model: "fraud-detector", version: "v5", environment: "production" }, now);
    expect(await ask(after(2))).toMatchObject({ allowed: true, request: { emergency: true } });
    expect(await ask(after(48))).toMatchObject({ allowed: true }); // due at 49h
    const due = after(49).toISOString();
    expect(await ask(after(50))).toEqual({
      allowed: false,
      reason: `CR-${number}'s retro-approval was due at ${due}; the gate stays closed until the chain completes.`,
      // The chain's completion opens it again: a pipeline waiting for the gate keeps waiting.
      waiting: true,
      request: { number: `CR-${number}`, status: "approved" },
    });
    const page = async (now: Date) => readRequestPage(await as("sam@example.com", now), { number: String(number) });
    expect((await page(after(2))).retro).toEqual({ pending: true, overdue: false });
    expect((await page(after(50))).retro).toEqual({ pending: true, overdue: true });
    // Deploying does not bend it: a deployed emergency past its deadline keeps the gate closed.
    await markDeployed(await as("alice@example.com", after(3)), { number });
    expect(await ask(after(50))).toMatchObject({ allowed: false, reason: expect.stringContaining("retro-approval") });
    expect((await page(after(50))).retro).toEqual({ pending: true, overdue: true });
    // The retro steps stay decidable while it runs: completing them keeps it deployed and opens the gate.
    expect((await page(after(51))).decision).toMatchObject({ ok: true }); // offered to Sam (security)
    for (const who of ["sam@example.com", "maya@example.com", "lead0@example.com"])
      await decide(await as(who, after(51)), { number, decision: "approve" });
    expect((await row(number)).status).toBe("deployed");
    expect(await ask(after(52))).toMatchObject({ allowed: true, request: { retroDueAt: null } });
    expect((await page(after(52))).retro).toEqual({ pending: false, overdue: false });
  });

  it("a deployed emergency refused in retro-approval is revoked: the gate closes", async () => {
    const { number } = await createRequest(await as("alice@example.com", T0), {
      model: "fraud-detector",
      version: "v8",
      environment: "production",
      title: "Hotfix 3",
      emergency: true,
    });
    await submitRequest(await as("alice@example.com", T0), { number });
    await decide(await as("lee@example.com", after(1)), { number, decision: "approve" });
    await markDeployed(await as("alice@example.com", after(2)), { number });
    const ask = (now: Date) => gate(t().db, { model: "fraud-detector", version: "v8", environment: "production" }, now);
    expect(await ask(after(3))).toMatchObject({ allowed: true });
    await decide(await as("sam@example.com", after(4)), {
      number,
      decision: "reject",
      comment: "Unreviewed dependency",
    });
    expect((await row(number)).status).toBe("revoked");
    expect(await ask(after(5))).toMatchObject({ allowed: false });
    // Refused again: there is nothing left to decide.
    await expectStatus(decide(await as("maya@example.com", after(6)), { number, decision: "approve" }), 409);
  });

  it("an overdue emergency that completes its chain opens the gate again", async () => {
    const { number } = await createRequest(await as("alice@example.com", T0), {
      model: "fraud-detector",
      version: "v6",
      environment: "production",
      title: "Hotfix 2",
      emergency: true,
    });
    await submitRequest(await as("alice@example.com", T0), { number });
    await decide(await as("lee@example.com", after(1)), { number, decision: "approve" });
    const ask = (now: Date) => gate(t().db, { model: "fraud-detector", version: "v6", environment: "production" }, now);
    expect(await ask(after(60))).toMatchObject({ allowed: false });
    for (const who of ["sam@example.com", "maya@example.com", "lead0@example.com"])
      await decide(await as(who, after(61)), { number, decision: "approve" });
    expect(await ask(after(62))).toMatchObject({
      allowed: true,
      request: { number: `CR-${number}`, retroDueAt: null },
    });
  });

  it("budget figures: the team's managers, the admins and the requester read them; everyone else a redacted reason, on the page and in mail", async () => {
    // A Fraud manager who is also an ML lead: asked as an ML lead, and may see Fraud's budget.
    const [dual] = await addPeople(t().db, "dual", 1, "ml_lead", "Fraud");
    await t().sql`insert into user_roles (user_id, role) select id, 'manager' from users where email = ${dual!}`;
    const month = new Date("2032-03-10T12:00:00Z");
    const fraud = (await t().db.select().from(teams).where(eq(teams.name, "Fraud")))[0]!.id;
    await setBudget(await as("maya@example.com", month), {
      teamId: fraud,
      interval: "month",
      periodStart: "2032-03-01",
      currency: "USD",
      amount: "10000",
    });
    const { number } = await createRequest(await as("alice@example.com", month), {
      model: "fraud-detector",
      version: "v7",
      environment: "staging",
      title: "Staging with a GPU",
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
          priceDate: "2032-03-01",
        },
      ],
    });
    await submitRequest(await as("alice@example.com", month), { number });
    const figures =
      "Within the team's Mar 2032 budget: costs $1,825.00, $10,000.00 of $10,000.00 remained ($8,175.00 after this request).";
    const budgetStep = async (email: string) => {
      const page = await readRequestPage(await as(email, month), { number: String(number) });
      const passed = page.steps.find((s) => s.status === "auto_passed")!;
      const entry = page.timeline.find((e) => e.action === "request.step_auto_passed")!;
      return { reason: passed.reason, timeline: entry.data.reason, evidence: entry.data.evidence, impact: page.impact };
    };
    for (const email of ["alice@example.com", "maya@example.com", "ada@example.com", dual!]) {
      const seen = await budgetStep(email);
      expect(seen, email).toMatchObject({ reason: figures, timeline: figures, evidence: { costMinor: 182_500 } });
    }
    for (const email of ["lee@example.com", "sam@example.com", "mo@example.com", "bob@example.com"]) {
      expect(await budgetStep(email), email).toEqual({
        reason: "Within the team's budget",
        timeline: "Within the team's budget",
        evidence: null,
        impact: null,
      });
    }
    // The ML leads asked by mail read the auto-passed step as they may.
    const mail = (await mailAbout(number)).filter((m) => m.template === "request-submitted");
    const passedFor = (email: string) =>
      (mail.find((m) => m.recipientEmail === email)!.payload as { passed: { step: string; reason: string }[] }).passed;
    expect(passedFor("lee@example.com")).toEqual([{ step: "Budget approval", reason: "Within the team's budget" }]);
    expect(passedFor(dual!)).toEqual([{ step: "Budget approval", reason: figures }]);
    expect(JSON.stringify(mail.filter((m) => m.recipientEmail !== dual).map((m) => m.payload))).not.toContain("$");
  });

  it("a role taken away later: the requests it strands are named to the admin and on the request page", async () => {
    const number = await file("v6", "production");
    await submitRequest(await as("alice@example.com"), { number });
    const ada = await as("ada@example.com");
    const sam = (await t().sql`select id from users where email = 'sam@example.com'`)[0]!.id as string;
    expect(await readStranded(ada)).toEqual([]);
    // Refused actor and bad input first: nothing changes.
    await expectStatus(readStranded(await as("maya@example.com")), 403);
    await expectStatus(revokeRole(ada, { userId: sam, role: "auditor-ish" }), 400);

    expect(await revokeRole(ada, { userId: sam, role: "security" })).toEqual({ changed: true, role: "security" });
    const stranded = await readStranded(ada, { role: "security" });
    // Every request in review that waits on security is named, this one among them.
    expect(strandedJson(stranded)).toContainEqual({
      number: `CR-${number}`,
      reasons: ["Stage 1 · Security review needs 1 security reviewer; the organisation has none"],
    });
    expect(strandedWarning(stranded)).toMatch(
      /^These requests can no longer complete: CR-\d+ \(Stage 1 · Security review/,
    );
    const page = await readRequestPage(await as("alice@example.com"), { number: String(number) });
    expect(page.stranded).toEqual(["Stage 1 · Security review needs 1 security reviewer; the organisation has none"]);

    // Given back (to someone else here): nothing is stranded any more.
    const [newSec] = await addPeople(t().db, "sec", 1, "security");
    expect(newSec).toBeDefined();
    expect(await readStranded(ada)).toEqual([]);
    expect((await readRequestPage(await as("alice@example.com"), { number: String(number) })).stranded).toEqual([]);
  });
});
