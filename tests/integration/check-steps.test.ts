import { and, eq, sql } from "drizzle-orm";
import type { Session } from "next-auth";
import { beforeAll, expect, it, vi } from "vitest";
import { approvalPolicies, auditEvents, changeRequests, notifications, requestSteps } from "../../db/schema";
import type { PolicyStep } from "../../db/schema/governance";
import { createModel } from "../../lib/models/create-model";
import { registerVersion } from "../../lib/models/register-version";
import { renderTemplate, type TemplateName } from "../../lib/notifications/templates";
import { exportPolicyDocument, parsePolicyDocument, planApply, toStored } from "../../lib/policies/as-code";
import { savePolicy } from "../../lib/policies/save-policy";
import { dryRunHistory } from "../../lib/policies/dry-run-history";
import { createRequest } from "../../lib/requests/create-request";
import { decide } from "../../lib/requests/decide";
import { markDeployed } from "../../lib/requests/mark-deployed";
import { overrideCheck } from "../../lib/requests/override-check";
import { findRequestDetail } from "../../lib/requests/queries";
import { requestJson } from "../../lib/requests/api-shape";
import { submitRequest } from "../../lib/requests/submit-request";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, race } from "../support/fixtures";
import { artifactDigestOf, seedRegistry } from "../support/registry";
import { createToken } from "../../lib/tokens/create-token";
import { callRoute } from "../support/routes";

// The route and the server action are called as a script with a token, and as the signed-in page.
const state = vi.hoisted(() => ({ db: null as unknown, session: null as Session | null }));
vi.mock("../../lib/session/config", () => ({ auth: async () => state.session, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
const overrideRoute = await import("../../app/api/v1/requests/[number]/checks/[stepId]/override/route");

// Automated evaluation checks as approval steps (ADR 0024): a check step is decided by its rules on
// the model version's metrics (and the version live in the environment) when its stage opens.

const ML_LEAD_REVIEW: PolicyStep = {
  name: "ML lead review",
  role: "ml_lead",
  scope: "any",
  quorum: 1,
  slaHours: 24,
  autoPass: "never",
};
const check = (rules: unknown[], onFail: "reject" | "changes_requested" = "reject") => ({
  kind: "check",
  name: "Offline metrics",
  role: "ml_lead",
  scope: "any",
  rules,
  onFail,
});

describeDb("automated evaluation checks as approval steps", (t) => {
  let counter = 0;
  beforeAll(async () => {
    state.db = t().db;
    await seedRegistry(t().db);
    // The first version live in staging (auc 0.93), for the champion/challenger rules: no policy is
    // active yet, so it is approved at submission and then deployed.
    await t().db.update(approvalPolicies).set({ active: false });
    await version("champion", { auc: 0.93, latency_ms: 40 });
    const number = await file("champion");
    await submitRequest(await as("alice@example.com"), { number });
    await markDeployed(await as("alice@example.com"), { number });
  });

  const as = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });
  async function version(label: string, metrics: Record<string, unknown>, model = "fraud-detector") {
    await registerVersion(await as("alice@example.com"), {
      model,
      version: label,
      sourceUri: `s3://m/${label}`,
      artifactDigest: artifactDigestOf(label, model),
      framework: "xgboost",
      hyperparameters: { depth: 6 },
      datasetName: "tx",
      datasetVersion: "1",
      metrics,
    });
  }
  async function file(label: string, environment = "staging") {
    const request = await createRequest(await as("alice@example.com"), {
      model: "fraud-detector",
      version: label,
      environment,
      title: `Deploy ${label} to ${environment}`,
    });
    return request.number;
  }
  /** Makes this the only active policy. */
  async function policy(stages: unknown[][]) {
    await t().db.update(approvalPolicies).set({ active: false });
    counter += 1;
    return savePolicy(await as("ada@example.com"), {
      name: `Checks ${counter}`,
      active: true,
      definition: { conditions: { kinds: ["deployment"], environments: ["staging"] }, stages },
    });
  }
  /** A fresh version with these metrics, filed and submitted under the policy given. */
  async function submitted(metrics: Record<string, unknown>, stages: unknown[][]) {
    await policy(stages);
    counter += 1;
    const label = `c${counter}`;
    await version(label, metrics);
    const number = await file(label);
    const result = await submitRequest(await as("alice@example.com"), { number });
    return { number, label, result };
  }
  const request = async (number: number) =>
    (await t().db.select().from(changeRequests).where(eq(changeRequests.number, number)))[0]!;
  const stepsOf = async (number: number) => {
    const r = await request(number);
    return t()
      .db.select()
      .from(requestSteps)
      .where(and(eq(requestSteps.requestId, r.id), eq(requestSteps.revision, r.revision)))
      .orderBy(requestSteps.stage, requestSteps.name);
  };
  const checkStep = async (number: number) => (await stepsOf(number)).find((s) => s.check)!;
  const audits = async (number: number, action: string) => {
    const r = await request(number);
    return t()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, r.id), sql`${auditEvents.action} = ${action}`));
  };
  const mailTo = async (number: number, email: string) => {
    const rows = await t()
      .db.select()
      .from(notifications)
      .where(
        and(sql`${notifications.payload}->>'number' = ${String(number)}`, eq(notifications.recipientEmail, email)),
      );
    return Promise.all(
      rows.map(async (row) => ({
        template: row.template,
        ...(await renderTemplate(row.template as TemplateName, row.payload as Record<string, unknown>)),
      })),
    );
  };

  it("a passing threshold completes the step by itself, with its figures, and the chain moves on", async () => {
    const { number } = await submitted({ auc: 0.91 }, [
      [check([{ metric: "auc", op: ">=", value: 0.9 }])],
      [ML_LEAD_REVIEW],
    ]);
    const [passed, review] = await stepsOf(number);
    expect(passed).toMatchObject({ status: "auto_passed", reason: "Check passed: auc 0.91 >= 0.90." });
    expect(passed!.evidence).toMatchObject({ results: [{ passed: true, text: "auc 0.91 >= 0.90" }] });
    expect(review).toMatchObject({ status: "pending" });
    expect(review!.openedAt).not.toBeNull();
    expect((await request(number)).status).toBe("in_review");
    const [event] = await audits(number, "request.check_passed");
    expect(event).toMatchObject({ actorEmail: "system:evaluation check" });
    expect((event!.data as { reason: string }).reason).toContain("auc 0.91 >= 0.90");
    // The ML lead is asked, and told the check passed.
    expect((await mailTo(number, "lee@example.com")).map((m) => m.template)).toEqual(["request-submitted"]);
  });

  it("a failing threshold rejects the request by itself; the requester's email carries the figures", async () => {
    const { number, result } = await submitted({ auc: 0.87 }, [
      [check([{ metric: "auc", op: ">=", value: 0.9 }])],
      [ML_LEAD_REVIEW],
    ]);
    expect(result.request.status).toBe("rejected");
    const [failed, review] = await stepsOf(number);
    expect(failed).toMatchObject({ status: "rejected", reason: "Check failed: auc 0.87 < 0.90: >= 0.90 required." });
    // Nobody is asked: the stage after the failed check never opened.
    expect(review).toMatchObject({ status: "pending", openedAt: null });
    expect(await mailTo(number, "lee@example.com")).toEqual([]);
    const [event] = await audits(number, "request.check_failed");
    expect(event!.data).toMatchObject({ onFail: "reject", evidence: { version: failed!.evidence!.version } });
    const [mail] = await mailTo(number, "alice@example.com");
    expect(mail!.template).toBe("request-rejected");
    expect(mail!.text).toContain("auc 0.87 < 0.90: >= 0.90 required");
    // The gate does not open for it, and a person cannot decide the check.
    await expectStatus(decide(await as("lee@example.com"), { number, decision: "approve" }), 409);
  });

  it("champion/challenger: worse than live by more than the margin fails, within the margin passes", async () => {
    const rule = { metric: "auc", noWorseThanLive: { margin: 0.01, higherIsBetter: true } };
    const worse = await submitted({ auc: 0.91 }, [[check([rule])]]);
    expect(worse.result.request.status).toBe("rejected");
    expect((await checkStep(worse.number)).reason).toBe(
      "Check failed: auc 0.91 vs live 0.93 (champion): worse by 0.02, margin 0.01.",
    );
    const within = await submitted({ auc: 0.925 }, [[check([rule])]]);
    expect(within.result.request.status).toBe("approved");
    expect((await checkStep(within.number)).reason).toBe(
      "Check passed: auc 0.925 vs live 0.930 (champion): worse by 0.005, margin 0.010.",
    );
    // Lower is better for latency: a slower challenger is worse.
    const slower = await submitted({ auc: 0.95, latency_ms: 55 }, [
      [check([{ metric: "latency_ms", noWorseThanLive: { margin: 5, higherIsBetter: false } }])],
    ]);
    expect((await checkStep(slower.number)).reason).toBe(
      "Check failed: latency_ms 55 vs live 40 (champion): worse by 15, margin 5.",
    );
  });

  it("with no version live in the environment, a champion/challenger rule passes and says why", async () => {
    await policy([[check([{ metric: "auc", noWorseThanLive: { margin: 0, higherIsBetter: true } }])]]);
    const alice = await as("alice@example.com");
    const [fraud] = await t().sql`select id from teams where name = 'Fraud'`;
    await createModel(alice, { name: "churn-model", teamId: fraud!.id as string });
    await version("first", { auc: 0.5 }, "churn-model");
    const { number } = await createRequest(alice, {
      model: "churn-model",
      version: "first",
      environment: "staging",
      title: "First churn model",
    });
    const result = await submitRequest(alice, { number });
    expect(result.request.status).toBe("approved");
    expect((await checkStep(number)).reason).toBe("Check passed: auc: no live version in staging.");
  });

  it("a required metric missing from the version fails that rule explicitly", async () => {
    const { number, result } = await submitted({ auc: 0.95 }, [
      [check([{ requiredMetrics: ["auc", "recall"] }, { metric: "f1", op: ">", value: 0.5 }])],
    ]);
    expect(result.request.status).toBe("rejected");
    const step = await checkStep(number);
    expect(step.reason).toBe(
      "Check failed: missing from " +
        step.evidence!.version +
        ": recall; f1 missing from " +
        step.evidence!.version +
        ".",
    );
  });

  it('onFail "changes_requested" sends the request back to the requester instead', async () => {
    const { number, result } = await submitted({ auc: 0.8 }, [
      [check([{ metric: "auc", op: ">=", value: 0.85 }], "changes_requested")],
    ]);
    expect(result.request.status).toBe("changes_requested");
    expect((await checkStep(number)).status).toBe("changes_requested");
    const [mail] = await mailTo(number, "alice@example.com");
    expect(mail!.template).toBe("changes-requested");
    expect(mail!.text).toContain("auc 0.80 < 0.85: >= 0.85 required");
  });

  it("a check in a later stage is evaluated when that stage opens: after the approval before it", async () => {
    const { number } = await submitted({ auc: 0.87 }, [
      [ML_LEAD_REVIEW],
      [check([{ metric: "auc", op: ">=", value: 0.9 }])],
    ]);
    expect((await checkStep(number)).status).toBe("pending");
    const decided = await decide(await as("lee@example.com"), { number, decision: "approve" });
    expect(decided.status).toBe("rejected");
    expect((await checkStep(number)).reason).toContain("auc 0.87 < 0.90");
    // The requester hears what the check found, not that Lee rejected it.
    const mails = await mailTo(number, "alice@example.com");
    expect(mails.map((m) => m.template)).toEqual(["request-rejected"]);
    expect(mails[0]!.text).toContain("automated check");
  });

  it("an ML lead overrides a failed check with a reason: audited, and the request resumes", async () => {
    const { number } = await submitted({ auc: 0.87 }, [
      [check([{ metric: "auc", op: ">=", value: 0.9 }])],
      [{ ...ML_LEAD_REVIEW, role: "manager", name: "Manager sign-off" }],
    ]);
    const step = await checkStep(number);
    const outcome = await overrideCheck(await as("lee@example.com"), {
      number,
      stepId: step.id,
      reason: "Offline set is stale; a week of shadow traffic says 0.92.",
    });
    expect(outcome).toMatchObject({ status: "in_review", step: { status: "approved" } });
    const [after, next] = await stepsOf(number);
    expect(after).toMatchObject({ status: "approved", reason: expect.stringMatching(/^Overridden by Lee Tanaka: /) });
    expect(after!.evidence).toMatchObject({ results: [{ passed: false }], override: { name: "Lee Tanaka" } });
    expect(next!.openedAt).not.toBeNull();
    const [event] = await audits(number, "request.check_overridden");
    expect(event).toMatchObject({ actorEmail: "lee@example.com" });
    expect(event!.data).toMatchObject({
      reason: "Offline set is stale; a week of shadow traffic says 0.92.",
      previousStatus: "rejected",
      requestStatus: "in_review",
    });
    // The manager is now asked; the API shows the check with its rules and outcome.
    expect((await mailTo(number, "maya@example.com")).map((m) => m.template)).toEqual(["step-waiting"]);
    const detail = await findRequestDetail(t().db, String(number));
    const json = requestJson(detail!, await actorFor(t().db, "lee@example.com")) as { steps: { kind: string }[] };
    expect(json.steps.map((s) => s.kind)).toEqual(["check", "approval"]);
    // Overriding again: nothing left to override.
    await expectStatus(
      overrideCheck(await as("lee@example.com"), { number, stepId: step.id, reason: "Once more, for luck." }),
      409,
    );
  });

  it("an override is refused to the wrong people (403) and without a reason (400 at the field)", async () => {
    const { number } = await submitted({ auc: 0.87 }, [[check([{ metric: "auc", op: ">=", value: 0.9 }])]]);
    const step = await checkStep(number);
    const input = { number, stepId: step.id, reason: "I think it is good enough." };
    for (const email of ["alice@example.com", "maya@example.com", "sam@example.com", "ada@example.com"])
      await expectStatus(overrideCheck(await as(email), input), 403);
    const missing = await expectStatus(overrideCheck(await as("lee@example.com"), { number, stepId: step.id }), 400);
    expect(missing.fieldErrors?.reason).toBeDefined();
    const short = await expectStatus(overrideCheck(await as("lee@example.com"), { ...input, reason: "ok" }), 400);
    expect(short.fieldErrors?.reason?.[0]).toMatch(/at least 10 characters/);
    // A person's step is not a check.
    await expectStatus(
      overrideCheck(await as("lee@example.com"), { ...input, stepId: "00000000-0000-4000-8000-000000000000" }),
      404,
    );
    expect((await request(number)).status).toBe("rejected");
    expect(await audits(number, "request.check_overridden")).toEqual([]);
  });

  it("two overrides at once: exactly one passes the check, the other is refused", async () => {
    const { number } = await submitted({ auc: 0.87 }, [
      [check([{ metric: "auc", op: ">=", value: 0.9 }])],
      [{ ...ML_LEAD_REVIEW, role: "manager", name: "Manager sign-off" }],
    ]);
    const step = await checkStep(number);
    const [lee, kai] = [await as("lee@example.com"), await as("ada@example.com")];
    // A second ML lead, so two different people race (roles are read afresh in the transaction).
    await t().sql`insert into user_roles (user_id, role) values (${kai.actor.id}, 'ml_lead')`;
    const kaiAgain = await as("ada@example.com");
    const { ok, statuses } = await race([
      () => overrideCheck(lee, { number, stepId: step.id, reason: "Shadow traffic says it is fine." }),
      () => overrideCheck(kaiAgain, { number, stepId: step.id, reason: "Checked the eval set myself." }),
    ]);
    expect(ok).toHaveLength(1);
    expect(statuses).toEqual([409]);
    expect(await audits(number, "request.check_overridden")).toHaveLength(1);
    expect((await request(number)).status).toBe("in_review");
    await t().sql`delete from user_roles where user_id = ${kai.actor.id} and role = 'ml_lead'`;
  });

  it("policy validation names the field of a bad rule", async () => {
    const bad = async (step: unknown) =>
      (
        await expectStatus(
          savePolicy(await as("ada@example.com"), {
            name: "Bad checks",
            active: true,
            definition: { conditions: {}, stages: [[step]] },
          }),
          400,
        )
      ).fieldErrors ?? {};
    expect(Object.keys(await bad(check([{ metric: "auc", op: "=>", value: 0.9 }])))).toContain(
      "definition.stages.0.0.rules.0.op",
    );
    expect(Object.keys(await bad(check([{ metric: "auc", op: ">=" }])))).toContain(
      "definition.stages.0.0.rules.0.value",
    );
    expect(Object.keys(await bad(check([])))).toContain("definition.stages.0.0.rules");
    expect(Object.keys(await bad({ ...check([{ metric: "auc", op: ">=", value: 1 }]), onFail: "ignore" }))).toContain(
      "definition.stages.0.0.onFail",
    );
    expect(Object.keys(await bad({ ...ML_LEAD_REVIEW, rules: [{ requiredMetrics: ["auc"] }] }))).toContain(
      "definition.stages.0.0.rules",
    );
    expect(
      Object.keys(await bad(check([{ metric: "auc", noWorseThanLive: { margin: -1, higherIsBetter: true } }]))),
    ).toContain("definition.stages.0.0.rules.0.noWorseThanLive.margin");
    expect(Object.keys(await bad(check(Array.from({ length: 21 }, () => ({ requiredMetrics: ["auc"] })))))).toContain(
      "definition.stages.0.0.rules",
    );
  });

  it("a check step round-trips through policies as code (export, re-read: nothing to change)", async () => {
    const saved = await policy([
      [check([{ metric: "auc", op: ">=", value: 0.9 }, { requiredMetrics: ["auc", "f1"] }])],
      [ML_LEAD_REVIEW],
    ]);
    const [stored] = await t().db.select().from(approvalPolicies).where(eq(approvalPolicies.id, saved.id));
    const yaml = exportPolicyDocument([stored!], [], "yaml");
    expect(yaml).toContain("kind: check");
    expect(yaml).not.toMatch(/quorum: 1\n\s+slaHours: 24\n\s+autoPass: never\n\s+- name: ML/);
    const parsed = parsePolicyDocument(yaml);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const back = toStored(parsed.doc, []);
    if (!back.ok) throw new Error(JSON.stringify(back.errors));
    expect(planApply([stored!], back.policies, { prune: false }).counts).toMatchObject({ unchanged: 1, change: 0 });
  });

  it("over the API: a bad body is a problem naming the field; an override answers the request with its steps", async () => {
    const { number } = await submitted({ auc: 0.87 }, [
      [check([{ metric: "auc", op: ">=", value: 0.9 }], "changes_requested")],
      [ML_LEAD_REVIEW],
    ]);
    const step = await checkStep(number);
    const lee = await createToken(await as("lee@example.com"), { name: "ci" });
    const alice = await createToken(await as("alice@example.com"), { name: "ci" });
    const post = (token: string, body: unknown) =>
      callRoute(overrideRoute.POST, `/api/v1/requests/CR-${number}/checks/${step.id}/override`, {
        token,
        method: "POST",
        params: { number: `CR-${number}`, stepId: step.id },
        body: JSON.stringify(body),
      });
    const missing = await post(lee.token, {});
    expect(missing.status).toBe(400);
    expect(missing.type).toMatch(/application\/problem\+json/);
    expect(Object.keys(missing.body.errors)).toEqual(["reason"]);
    const refused = await post(alice.token, { reason: "My own model is fine, trust me." });
    expect(refused.status).toBe(403);
    // The path names the step: a body naming another is not followed.
    const done = await post(lee.token, { reason: "Recall matters more here; agreed with the team.", stepId: "x" });
    expect(done.status).toBe(200);
    expect(done.body.result).toMatchObject({ status: "in_review", step: { id: step.id, status: "approved" } });
    const [shown] = done.body.request.steps as { kind: string; check: unknown; evidence: { override: unknown } }[];
    expect(shown).toMatchObject({
      kind: "check",
      check: { onFail: "changes_requested", rules: [{ metric: "auc", op: ">=", value: 0.9 }] },
      evidence: { override: { name: "Lee Tanaka" } },
    });
  });

  it("a dry run of a draft check lists the requests it would stop, with the figures", async () => {
    await t().db.update(approvalPolicies).set({ active: false });
    await version("dry1", { auc: 0.8 });
    const number = await file("dry1");
    await submitRequest(await as("alice@example.com"), { number });
    const run = await dryRunHistory(
      t().db,
      [
        {
          name: "Draft check",
          active: true,
          definition: {
            conditions: { kinds: ["deployment"], environments: ["staging"] },
            stages: [[check([{ metric: "auc", op: ">=", value: 0.85 }]) as PolicyStep]],
          },
        },
      ],
      { days: 30 },
    );
    expect(run.byChange.check).toBeGreaterThanOrEqual(1);
    const listed = run.requests.find((r) => r.number === number)!;
    expect(listed.changes).toContain("Offline metrics would stop it: Check failed: auc 0.80 < 0.85: >= 0.85 required.");
  });
});
