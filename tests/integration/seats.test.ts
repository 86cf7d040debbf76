import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { decisions, requestSteps } from "../../db/schema";
import { createDelegation } from "../../lib/delegations/create-delegation";
import { createModel } from "../../lib/models/create-model";
import { registerVersion } from "../../lib/models/register-version";
import { savePolicy } from "../../lib/policies/save-policy";
import { createRequest } from "../../lib/requests/create-request";
import { decide } from "../../lib/requests/decide";
import { inbox } from "../../lib/requests/queries";
import { readRequestPage } from "../../lib/requests/read-request-page";
import { submitRequest } from "../../lib/requests/submit-request";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, race, userId } from "../support/fixtures";
import { addPeople, artifactDigestOf, seedRegistry } from "../support/registry";

// Approval guarantees nobody can bend: one person counts once per request revision whatever
// delegations exist; the requester and the version's author never decide; policies may bar the
// model's owner or the requester's team from a step. Enforced by the decide verb under the request's
// row lock, and never offered by the inbox or the request page.
describeDb("one person, one seat; authors and conflicts stand aside", (t) => {
  let teams: { fraud: string; search: string };
  let mia: string; // Fraud's second manager: a two-manager step must be one the team can complete
  beforeAll(async () => {
    const { db } = t();
    await seedRegistry(db);
    const rows = await t().sql`select id, name from teams`;
    teams = {
      fraud: rows.find((r) => r.name === "Fraud")!.id as string,
      search: rows.find((r) => r.name === "Search")!.id as string,
    };
    [mia] = (await addPeople(db, "mia", 1, "manager", "Fraud")) as [string];
    await addPeople(db, "kai", 1, "ml_lead"); // high-risk chains ask for two ML leads: there must be two
    // High-risk production deployments of Fraud's models need two of its managers (merged with the
    // production policy's manager step: quorum 2). Only Fraud has two, so the policy names Fraud: a
    // chain that could never complete is refused when the policy is saved.
    await savePolicy(await as("ada@example.com"), {
      name: "Two managers for high risk",
      definition: {
        conditions: { kinds: ["deployment"], environments: ["production"], minRisk: "high", teamIds: [teams.fraud] },
        stages: [[{ name: "Manager sign-off", role: "manager", scope: "requester_team", quorum: 2, slaHours: 48 }]],
      },
    });
  });
  const as = async (email: string, now?: Date) => ({ db: t().db, actor: await actorFor(t().db, email), now });
  const file = async (version: string, environment: "staging" | "production", extra: Record<string, unknown> = {}) => {
    const { number } = await createRequest(await as("alice@example.com"), {
      model: "fraud-detector",
      version,
      environment,
      title: `Deploy ${version} to ${environment}`,
      ...extra,
    });
    await submitRequest(await as("alice@example.com"), { number });
    return number;
  };
  const stepOf = async (number: number, role: string) => {
    const [row] = await t()
      .sql`select s.id from request_steps s join change_requests r on r.id = s.request_id and r.revision = s.revision where r.number = ${number} and s.role = ${role}`;
    return row!.id as string;
  };
  const steps = async (number: number) => {
    const rows = await t()
      .sql`select s.role, s.quorum, s.approvals, s.status from request_steps s join change_requests r on r.id = s.request_id and r.revision = s.revision where r.number = ${number} order by s.stage, s.role`;
    return rows.map((r) => `${r.role}x${r.quorum}=${r.approvals}/${r.status}`);
  };
  const counted = async (number: number) =>
    (
      await t()
        .sql`select a.email as actor, p.email as principal from decisions d join change_requests r on r.id = d.request_id and r.revision = d.revision join users a on a.id = d.actor_id join users p on p.id = d.principal_id where r.number = ${number} order by d.created_at`
    ).map((r) => (r.actor === r.principal ? String(r.actor) : `${r.actor} for ${r.principal}`));
  const delegate = async (from: string, to: string, extra: Record<string, unknown> = {}) =>
    createDelegation(await as(from), {
      to,
      startsAt: new Date(Date.now() - 60_000),
      endsAt: new Date(Date.now() + 7 * 86_400_000),
      ...extra,
    });
  const waiting = async (email: string, number: number) =>
    (await inbox(t().db, (await as(email)).actor)).waiting
      .filter((w) => w.number === number)
      .map((w) => (w.onBehalfOf ? `${w.stepName} for ${w.onBehalfOf}` : w.stepName));
  const told = async (number: number, template: string) =>
    (
      await t()
        .sql`select recipient_email from notifications where template = ${template} and payload->>'number' = ${String(number)}`
    ).map((r) => String(r.recipient_email));
  const offered = async (email: string, number: number) =>
    (await readRequestPage(await as(email), { number: String(number) })).decision;

  it("a manager holding a colleague's delegation counts once on a two-manager step", async () => {
    await delegate(mia, "maya@example.com");
    const number = await file("v1", "production", { risk: "high" });
    expect(await steps(number)).toContain("managerx2=0/pending");
    expect(await waiting("maya@example.com", number)).toEqual(["Manager sign-off"]); // once, not also "for mia"
    await decide(await as("maya@example.com"), { number, decision: "approve" });

    const again = await expectStatus(decide(await as("maya@example.com"), { number, decision: "approve" }), 409);
    expect(again.message).toBe(
      `You already decided on CR-${number} revision 1 (Manager sign-off); one person counts once.`,
    );
    expect(await waiting("maya@example.com", number)).toEqual([]);
    expect(await offered("maya@example.com", number)).toEqual({ ok: false, status: 409, reason: again.message });
    expect(await steps(number)).toContain("managerx2=1/pending"); // one human is not a quorum of two

    await decide(await as(mia!), { number, decision: "approve" }); // the colleague herself still counts
    expect(await steps(number)).toContain("managerx2=2/approved");
    expect(await counted(number)).toEqual(["maya@example.com", mia!]);
  });

  it("a security engineer's delegate decides the security step for them, and then not the ML-lead step", async () => {
    const [sec] = await addPeople(t().db, "secx", 1, "security");
    await delegate(sec!, "lee@example.com");
    const number = await file("v2", "production");
    const security = await stepOf(number, "security");
    expect(await waiting("lee@example.com", number)).toEqual(["Security review for secx 0"]);
    const forSec = await decide(await as("lee@example.com"), { number, decision: "approve", stepId: security });
    expect(forSec.onBehalfOf).toBe(await userId(t().db, sec!));
    await decide(await as("maya@example.com"), { number, decision: "approve" });
    expect(await steps(number)).toEqual(["managerx1=1/approved", "securityx1=1/approved", "ml_leadx1=0/pending"]);

    expect(await told(number, "step-waiting")).not.toContain("lee@example.com"); // his seat is taken: not asked
    const refusal = await expectStatus(decide(await as("lee@example.com"), { number, decision: "approve" }), 409);
    expect(refusal.message).toBe(
      `You already decided on CR-${number} revision 1 (Security review, for secx 0); one person counts once.`,
    );
    expect(await waiting("lee@example.com", number)).toEqual([]);
    expect(await offered("lee@example.com", number)).toMatchObject({ ok: false, status: 409 });
    // The delegator cannot decide after their delegate did.
    const delegator = await expectStatus(decide(await as(sec!), { number, decision: "approve" }), 409);
    expect(delegator.message).toBe(
      `Lee Tanaka already decided for you on CR-${number} revision 1 (Security review); one person counts once.`,
    );
    // The request page says who decided for whom.
    const page = await readRequestPage(await as("alice@example.com"), { number: String(number) });
    expect(page.decisions.find((d) => d.stepId === security)).toMatchObject({ by: "Lee Tanaka", onBehalfOf: "secx 0" });

    const [otherLead] = await addPeople(t().db, "leadx", 1, "ml_lead");
    await decide(await as(otherLead!), { number, decision: "approve" });
    expect(await counted(number)).toEqual([`lee@example.com for ${sec!}`, "maya@example.com", otherLead!]);
  });

  it("a delegate cannot decide for a delegator who already counts; bad input is a 400 at the field", async () => {
    const [sec] = await addPeople(t().db, "secy", 1, "security");
    await delegate(sec!, "bob@example.com");
    const number = await file("v3", "production");
    await decide(await as(sec!), { number, decision: "approve" });
    const refusal = await expectStatus(decide(await as("bob@example.com"), { number, decision: "approve" }), 409);
    expect(refusal.message).toBe(
      `secy 0 already decided on CR-${number} revision 1 (Security review); one person counts once, so you cannot also decide for them.`,
    );
    expect(await waiting("bob@example.com", number)).toEqual([]);
    const bad = await expectStatus(
      decide(await as("bob@example.com"), { number, decision: "approve", stepId: "security" }),
      400,
    );
    expect(Object.keys(bad.fieldErrors ?? {})).toEqual(["stepId"]);
    await expectStatus(decide(await as("bob@example.com"), { number: 999_999, decision: "approve" }), 404);
  });

  it("race: a delegate and the delegator approving at once take exactly one seat", async () => {
    const [sec] = await addPeople(t().db, "secz", 1, "security");
    const [stand] = await addPeople(t().db, "stand", 1, "requester", "Search");
    await delegate(sec!, stand!);
    for (const version of ["v4", "v5"]) {
      const number = await file(version, "production");
      const { ok, statuses } = await race([
        async () => decide(await as(stand!), { number, decision: "approve" }),
        async () => decide(await as(sec!), { number, decision: "approve" }),
      ]);
      expect(ok).toHaveLength(1);
      expect(statuses).toEqual([409]);
      expect(await steps(number)).toContain("securityx1=1/approved");
      const [row] = await t().sql`select id from change_requests where number = ${number}`;
      const rows = await t()
        .db.select()
        .from(decisions)
        .where(and(eq(decisions.requestId, row!.id as string), eq(decisions.principalId, await userId(t().db, sec!))));
      expect(rows).toHaveLength(1);
    }
  });

  it("race: ten concurrent attempts by one person on two open steps make one decision", async () => {
    // Someone holding both stage-1 roles, deciding as themselves.
    const [dual] = await addPeople(t().db, "dual", 1, "manager", "Fraud");
    await t().sql`insert into user_roles (user_id, role) select id, 'security' from users where email = ${dual!}`;
    const number = await file("v6", "production");
    const [manager, security] = [await stepOf(number, "manager"), await stepOf(number, "security")];
    const actor = await as(dual!);
    const { ok, statuses } = await race(
      Array.from(
        { length: 10 },
        (_, i) => () => decide(actor, { number, decision: "approve", stepId: i % 2 ? manager : security }),
      ),
    );
    expect(ok).toHaveLength(1);
    expect(statuses).toEqual(Array(9).fill(409));
    expect(await counted(number)).toEqual([dual!]);
    const approvals = await t().db.select().from(requestSteps).where(eq(requestSteps.id, manager));
    const other = await t().db.select().from(requestSteps).where(eq(requestSteps.id, security));
    expect(approvals[0]!.approvals + other[0]!.approvals).toBe(1);

    // And a delegate with two open steps in an emergency (every stage open): their own and one for the delegator.
    const [sec] = await addPeople(t().db, "secw", 1, "security");
    await delegate(sec!, "lee@example.com");
    const urgent = await file("v7", "production", { emergency: true });
    const [lead, sec2] = [await stepOf(urgent, "ml_lead"), await stepOf(urgent, "security")];
    const lee = await as("lee@example.com");
    const second = await race(
      Array.from(
        { length: 10 },
        (_, i) => () => decide(lee, { number: urgent, decision: "approve", stepId: i % 2 ? lead : sec2 }),
      ),
    );
    expect(second.ok).toHaveLength(1);
    expect(second.statuses).toEqual(Array(9).fill(409));
    expect((await counted(urgent)).length).toBe(1);
  });

  it("the version's author may not decide its deployment, even holding ml_lead, nor as anyone's delegate", async () => {
    const lee = await as("lee@example.com");
    await registerVersion(lee, {
      model: "fraud-detector",
      version: "v9",
      sourceUri: "s3://m/v9",
      artifactDigest: artifactDigestOf("v9"),
      framework: "xgboost",
      hyperparameters: {},
      datasetName: "tx",
      datasetVersion: "1",
      metrics: {},
    });
    const [cover] = await addPeople(t().db, "cover", 1, "manager", "Fraud");
    await delegate(cover!, "lee@example.com", { role: "manager" });
    const number = await file("v9", "production");
    const message = "You registered fraud-detector v9: someone else must approve its deployment.";
    const asDelegate = await expectStatus(
      decide(lee, { number, decision: "approve", stepId: await stepOf(number, "manager") }),
      403,
    );
    expect(asDelegate.message).toBe(message);
    expect(await waiting("lee@example.com", number)).toEqual([]);
    await decide(await as("maya@example.com"), { number, decision: "approve" });
    await decide(await as("sam@example.com"), { number, decision: "approve" });
    const asked = await told(number, "step-waiting");
    expect(asked).toContain("leadx0@example.com");
    expect(asked).not.toContain("lee@example.com"); // the author is never asked
    for (const decision of ["approve", "reject", "request_changes"]) {
      const refused = await expectStatus(decide(lee, { number, decision, comment: "mine" }), 403);
      expect(refused.message).toBe(message);
    }
    expect(await offered("lee@example.com", number)).toEqual({ ok: false, status: 403, reason: message });
    const page = await readRequestPage(await as("alice@example.com"), { number: String(number) });
    expect(page.steps.find((s) => s.role === "ml_lead")!.eligible).not.toContain("Lee Tanaka");
    const [other] = await addPeople(t().db, "indep", 1, "ml_lead");
    expect((await decide(await as(other!), { number, decision: "approve" })).status).toBe("approved");
  });

  it("policy conflicts: the model's owner and the requester's team stand aside where a policy says so", async () => {
    const admin = await as("ada@example.com");
    // An ML lead owns a Search model; Bob registers and files its versions.
    const [owner] = await addPeople(t().db, "owner", 1, "ml_lead");
    await createModel(await as(owner!), { name: "ranker", teamId: teams.search });
    await registerVersion(await as("bob@example.com"), {
      model: "ranker",
      version: "r1",
      sourceUri: "s3://r/r1",
      artifactDigest: artifactDigestOf("r1", "ranker"),
      framework: "torch",
      hyperparameters: {},
      datasetName: "clicks",
      datasetVersion: "1",
      metrics: {},
    });
    const bad = await expectStatus(
      savePolicy(admin, {
        name: "Bad conflicts",
        definition: {
          conditions: {},
          stages: [
            [
              { name: "Step x", role: "ml_lead", scope: "any", quorum: 1, slaHours: 1, conflicts: ["friends"] },
              {
                name: "Step y",
                role: "manager",
                scope: "requester_team",
                quorum: 1,
                slaHours: 1,
                conflicts: ["requester_team"],
              },
            ],
          ],
        },
      }),
      400,
    );
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual([
      "definition.stages.0.0.conflicts.0",
      "definition.stages.0.1.conflicts",
    ]);
    const policy = await savePolicy(admin, {
      name: "Independent review",
      definition: {
        conditions: { kinds: ["deployment"], teamIds: [teams.search] },
        stages: [
          [
            {
              name: "ML lead review",
              role: "ml_lead",
              scope: "any",
              quorum: 1,
              slaHours: 24,
              conflicts: ["model_owner"],
            },
            {
              name: "Outside security",
              role: "security",
              scope: "any",
              quorum: 1,
              slaHours: 24,
              conflicts: ["requester_team"],
            },
          ],
        ],
      },
    });
    const [insider] = await addPeople(t().db, "searchsec", 1, "security", "Search");
    const { number } = await createRequest(await as("bob@example.com"), {
      model: "ranker",
      version: "r1",
      environment: "staging",
      title: "Ranker to staging",
    });
    await submitRequest(await as("bob@example.com"), { number });
    // A policy edit after submission does not reach the request in flight: its policy versions are pinned.
    const edited = await savePolicy(admin, {
      id: policy.id,
      expectedVersion: policy.version,
      name: "Independent review",
      definition: {
        conditions: policy.definition.conditions,
        stages: policy.definition.stages.map((stage) => stage.map(({ conflicts: _dropped, ...step }) => step)),
      },
    });
    expect(edited.version).toBe(2);

    const refused = await expectStatus(decide(await as(owner!), { number, decision: "approve" }), 403);
    expect(refused.message).toBe("You own ranker: ML lead review must be decided by someone other than its owner.");
    expect(await waiting(owner!, number)).toEqual([]);
    const team = await expectStatus(decide(await as(insider!), { number, decision: "approve" }), 403);
    expect(team.message).toBe(
      "You are in Search, the requester's team: Outside security must be decided by someone outside it.",
    );
    expect(await offered(insider!, number)).toEqual({ ok: false, status: 403, reason: team.message });
    const page = await readRequestPage(await as("bob@example.com"), { number: String(number) });
    expect(page.steps.find((s) => s.role === "ml_lead")).toMatchObject({ conflicts: ["model_owner"] });
    expect(page.steps.find((s) => s.role === "security")!.eligible).not.toContain("searchsec 0");

    await decide(await as("sam@example.com"), { number, decision: "approve" });
    const [lead] = await addPeople(t().db, "leadq", 1, "ml_lead");
    expect((await decide(await as(lead!), { number, decision: "approve" })).status).toBe("approved");
  });
});
