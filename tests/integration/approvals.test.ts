import { and, eq, sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { auditEvents, decisions, notifications } from "../../db/schema";
import { decide } from "../../lib/requests/decide";
import { settleDeliveries } from "../../lib/notifications/deliver";
import { addComment } from "../../lib/requests/add-comment";
import { createRequest } from "../../lib/requests/create-request";
import { expireApprovals } from "../../lib/requests/expire-approvals";
import { gate } from "../../lib/requests/gate";
import { inbox } from "../../lib/requests/queries";
import { markDeployed } from "../../lib/requests/mark-deployed";
import { revokeRequest } from "../../lib/requests/revoke-request";
import { submitRequest } from "../../lib/requests/submit-request";
import { updateRequest } from "../../lib/requests/update-request";
import { withdrawRequest } from "../../lib/requests/withdraw-request";
import { createDelegation } from "../../lib/delegations/create-delegation";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, race } from "../support/fixtures";
import { addPeople, seedRegistry } from "../support/registry";

describeDb("change requests and the approval engine", (t) => {
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
  const gateFor = (version: string, environment: string, now?: Date) =>
    gate(t().db, { model: "fraud-detector", version, environment }, now);
  const steps = async (number: number) => {
    const rows = await t()
      .sql`select s.role, s.stage, s.quorum, s.approvals, s.status from request_steps s join change_requests r on r.id = s.request_id and r.revision = s.revision where r.number = ${number} order by s.stage, s.role`;
    return rows.map((r) => `${r.stage}:${r.role}x${r.quorum}=${r.approvals}/${r.status}`);
  };
  const status = async (number: number) =>
    (await t().sql`select status, revision from change_requests where number = ${number}`)[0]!;
  // Who was told what about a request: "template>recipient", sorted.
  const told = async (number: number, to?: string) => {
    const rows = await t()
      .db.select()
      .from(notifications)
      .where(sql`${notifications.payload}->>'number' = ${String(number)}`);
    return rows
      .filter((m) => !to || m.recipientEmail === to)
      .map((m) => `${m.template}>${m.recipientEmail}`)
      .sort();
  };

  it("create: a draft with a CR number; other teams, requesters' typos and bad input are refused", async () => {
    const number = await file("v1", "production");
    expect(number).toBeGreaterThanOrEqual(1001);
    expect(await status(number)).toMatchObject({ status: "draft", revision: 1 });
    await expectStatus(
      createRequest(await as("bob@example.com"), {
        model: "fraud-detector",
        version: "v1",
        environment: "production",
        title: "Not my team",
      }),
      403,
    );
    await expectStatus(
      createRequest(await as("sam@example.com"), {
        model: "fraud-detector",
        version: "v1",
        environment: "production",
        title: "No role",
      }),
      403,
    );
    const bad = await expectStatus(
      createRequest(await as("alice@example.com"), {
        model: "fraud-detector",
        version: "v99",
        environment: "Moon!",
        title: "x",
      }),
      400,
    );
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["environment", "title"]);
    // A well-formed name that no admin defined is refused at the field, naming the choices.
    const moon = await expectStatus(
      createRequest(await as("alice@example.com"), {
        model: "fraud-detector",
        version: "v1",
        environment: "moon",
        title: "To the moon",
      }),
      400,
    );
    expect(moon.fieldErrors?.environment?.[0]).toBe(
      "There is no environment named moon: choose development, staging or production.",
    );
    await expectStatus(
      createRequest(await as("alice@example.com"), {
        model: "fraud-detector",
        version: "v99",
        environment: "staging",
        title: "Unknown version",
      }),
      400,
    );
    const { ok } = await race(Array.from({ length: 10 }, () => async () => file("v1", "staging")));
    expect(new Set(ok).size).toBe(10);
  });

  it("submit: snapshots the production chain and tells the first stage's approvers only", async () => {
    const number = await file("v2", "production");
    await expectStatus(submitRequest(await as("maya@example.com"), { number }), 403);
    await expectStatus(submitRequest(await as("alice@example.com"), { number: "CR-x" }), 400);
    await submitRequest(await as("alice@example.com"), { number });
    expect(await steps(number)).toEqual(["1:managerx1=0/pending", "1:securityx1=0/pending", "2:ml_leadx1=0/pending"]);
    await settleDeliveries();
    const mail = await t().db.select().from(notifications).where(eq(notifications.template, "request-submitted"));
    const told = mail
      .filter((m) => (m.payload as { number: number }).number === number)
      .map((m) => m.recipientEmail)
      .sort();
    expect(told).toEqual(["maya@example.com", "sam@example.com"]); // not mo (other team), not lee (stage 2), not alice
    await expectStatus(submitRequest(await as("alice@example.com"), { number }), 409);
  });

  it("inbox: each approver sees exactly the steps they may decide now", async () => {
    const number = await file("v4", "production");
    await submitRequest(await as("alice@example.com"), { number });
    const waiting = async (email: string) =>
      (await inbox(t().db, (await as(email)).actor)).waiting.filter((w) => w.number === number).map((w) => w.stepName);
    expect(await waiting("maya@example.com")).toEqual(["Manager sign-off"]); // her team's manager step
    expect(await waiting("mo@example.com")).toEqual([]); // another team's manager
    expect(await waiting("sam@example.com")).toEqual(["Security review"]);
    expect(await waiting("lee@example.com")).toEqual([]); // stage 2 is not open yet
    expect(await waiting("alice@example.com")).toEqual([]); // never your own
    await decide(await as("maya@example.com"), { number, decision: "approve" });
    await decide(await as("sam@example.com"), { number, decision: "approve" });
    expect(await waiting("maya@example.com")).toEqual([]);
    expect(await waiting("lee@example.com")).toEqual(["ML lead approval"]);
    expect((await inbox(t().db, (await as("maya@example.com")).actor)).decided.map((d) => d.number)).toContain(number);
  });

  it("submit: five concurrent submits make one chain", async () => {
    const number = await file("v2", "staging");
    const alice = await as("alice@example.com");
    const { ok, statuses } = await race(Array.from({ length: 5 }, () => () => submitRequest(alice, { number })));
    expect(ok).toHaveLength(1);
    expect(statuses).toEqual([409, 409, 409, 409]);
    expect(await steps(number)).toEqual(["1:ml_leadx1=0/pending"]);
  });

  it("decide: the production flow, stage by stage, with 403 and 409 where they belong; the gate opens at the end", async () => {
    const number = await file("v3", "production");
    await submitRequest(await as("alice@example.com"), { number });
    // In review: not yet, and a decision may still open it (a pipeline waiting for it keeps waiting).
    expect(await gateFor("v3", "production")).toMatchObject({
      allowed: false,
      waiting: true,
      request: { number: `CR-${number}`, status: "in_review" },
    });
    await expectStatus(decide(await as("alice@example.com"), { number, decision: "approve" }), 403); // own request
    await expectStatus(decide(await as("mo@example.com"), { number, decision: "approve" }), 403); // other team's manager
    await expectStatus(decide(await as("bob@example.com"), { number, decision: "approve" }), 403); // no such role
    await expectStatus(decide(await as("lee@example.com"), { number, decision: "approve" }), 409); // stage 2 not open
    await expectStatus(decide(await as("sam@example.com"), { number, decision: "reject" }), 400); // comment required
    await expectStatus(decide(await as("sam@example.com"), { number, decision: "maybe" }), 400);

    await decide(await as("maya@example.com"), { number, decision: "approve" });
    await decide(await as("sam@example.com"), { number, decision: "approve", comment: "deps fine" });
    await expectStatus(decide(await as("sam@example.com"), { number, decision: "approve" }), 409); // twice
    expect(await steps(number)).toEqual(["1:managerx1=1/approved", "1:securityx1=1/approved", "2:ml_leadx1=0/pending"]);
    const result = await decide(await as("lee@example.com"), { number, decision: "approve" });
    expect(result.status).toBe("approved");
    expect(await gateFor("v3", "production")).toMatchObject({
      allowed: true,
      request: { number: `CR-${number}`, status: "approved" },
    });
    expect(await gateFor("v3", "staging")).toMatchObject({ allowed: false });
    await expectStatus(decide(await as("lee@example.com"), { number, decision: "approve" }), 409); // not in review
    expect(await told(number)).toEqual([
      "decision-made>alice@example.com", // maya's approval: security still pending
      "decision-made>alice@example.com", // sam's approval: stage 2 opens
      "request-approved>alice@example.com",
      "request-submitted>maya@example.com",
      "request-submitted>sam@example.com",
      "step-waiting>lee@example.com",
    ]);
  });

  it("50 concurrent approvals on one step: counted exactly once, one transition", async () => {
    const emails = await addPeople(t().db, "lead", 50, "ml_lead");
    const number = await file("v4", "staging");
    await submitRequest(await as("alice@example.com"), { number });
    const actors = await Promise.all(emails.map((e) => as(e)));
    const { ok, statuses } = await race(actors.map((a) => () => decide(a, { number, decision: "approve" })));
    expect(ok).toHaveLength(1);
    expect(statuses).toEqual(Array(49).fill(409));
    expect(await steps(number)).toEqual(["1:ml_leadx1=1/approved"]);
    const [req] = await t().sql`select id from change_requests where number = ${number}`;
    expect(await t().db.select().from(decisions).where(eq(decisions.requestId, req!.id))).toHaveLength(1);
    const transitions = await t()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, req!.id), eq(auditEvents.action, "request.decided")));
    expect(transitions).toHaveLength(1);
    expect(await status(number)).toMatchObject({ status: "approved" });
  });

  it("a quorum of two high-risk ML leads takes exactly two of many concurrent approvals", async () => {
    const number = await file("v5", "staging", { risk: "high" });
    await submitRequest(await as("alice@example.com"), { number });
    const actors = await Promise.all(Array.from({ length: 20 }, (_, i) => as(`lead${i}@example.com`)));
    const { ok, statuses } = await race(actors.map((a) => () => decide(a, { number, decision: "approve" })));
    expect(ok).toHaveLength(2);
    expect(statuses).toEqual(Array(18).fill(409));
    expect(await steps(number)).toEqual(["1:ml_leadx2=2/approved"]);
  });

  it("a rejection ends the review and the gate says why", async () => {
    const number = await file("v6", "staging");
    await submitRequest(await as("alice@example.com"), { number });
    await decide(await as("lee@example.com"), { number, decision: "reject", comment: "Not this week." });
    expect(await status(number)).toMatchObject({ status: "rejected" });
    expect(await gateFor("v6", "staging")).toEqual({
      allowed: false,
      reason: `CR-${number} for fraud-detector v6 in staging is rejected.`,
      // Final: no decision can open the gate now, so a pipeline waiting for it stops.
      waiting: false,
      request: { number: `CR-${number}`, status: "rejected" },
    });
    await expectStatus(decide(await as("lead3@example.com"), { number, decision: "approve" }), 409);
    expect(await told(number, "alice@example.com")).toEqual(["request-rejected>alice@example.com"]);
  });

  it("request changes, edit (revision 2, approvals reset), resubmit; editing an approved request closes the gate", async () => {
    const number = await file("v7", "production");
    await submitRequest(await as("alice@example.com"), { number });
    await decide(await as("sam@example.com"), { number, decision: "approve" });
    await decide(await as("maya@example.com"), {
      number,
      decision: "request_changes",
      comment: "Add the rollback plan.",
    });
    expect(await status(number)).toMatchObject({ status: "changes_requested", revision: 1 });
    // The requester's inbox says it is their move (issue 20: not "Nothing is waiting for you").
    const yours = (await inbox(t().db, (await as("alice@example.com")).actor)).yours;
    expect(yours.find((r) => r.number === number)).toMatchObject({
      status: "changes_requested",
      todo: "Changes requested: revise it and resubmit",
    });
    expect((await inbox(t().db, (await as("bob@example.com")).actor)).yours.map((r) => r.number)).not.toContain(number);
    await expectStatus(updateRequest(await as("maya@example.com"), { number, description: "x" }), 403);
    await updateRequest(await as("alice@example.com"), { number, description: "Rollback: redeploy v6." });
    expect(await status(number)).toMatchObject({ status: "draft", revision: 2 });
    await submitRequest(await as("alice@example.com"), { number });
    expect(await steps(number)).toEqual(["1:managerx1=0/pending", "1:securityx1=0/pending", "2:ml_leadx1=0/pending"]);
    await decide(await as("sam@example.com"), { number, decision: "approve" }); // sam may decide again on revision 2
    await decide(await as("maya@example.com"), { number, decision: "approve" });
    await decide(await as("lee@example.com"), { number, decision: "approve" });
    expect(await gateFor("v7", "production")).toMatchObject({ allowed: true });

    const { reset } = await updateRequest(await as("alice@example.com"), {
      number,
      title: "Deploy v7 (with rollback plan)",
    });
    expect(reset).toBe(true);
    expect(await status(number)).toMatchObject({ status: "in_review", revision: 3 });
    expect(await steps(number)).toEqual(["1:managerx1=0/pending", "1:securityx1=0/pending", "2:ml_leadx1=0/pending"]);
    expect(await gateFor("v7", "production")).toMatchObject({ allowed: false });
    expect(await told(number, "alice@example.com")).toEqual([
      "changes-requested>alice@example.com",
      "decision-made>alice@example.com", // sam, revision 1
      "decision-made>alice@example.com", // sam, revision 2
      "decision-made>alice@example.com", // maya, revision 2
      "request-approved>alice@example.com",
    ]);
    const again = await t()
      .db.select()
      .from(notifications)
      .where(
        sql`${notifications.payload}->>'number' = ${String(number)} and ${notifications.payload}->>'revision' = '3'`,
      );
    expect(again.map((m) => `${m.template}>${m.recipientEmail}`).sort()).toEqual([
      "request-submitted>maya@example.com",
      "request-submitted>sam@example.com",
    ]);
  });

  it("emergency: one ML lead opens the gate, the rest is retro-approval; a retro rejection revokes", async () => {
    const number = await file("v8", "production", { emergency: true });
    await submitRequest(await as("alice@example.com"), { number });
    const opened = await decide(await as("lee@example.com"), { number, decision: "approve" });
    expect(opened.status).toBe("approved");
    const [row] = await t().sql`select retro_due_at, now() as now from change_requests where number = ${number}`;
    expect(new Date(row!.retro_due_at).getTime() - Date.now()).toBeGreaterThan(47 * 3600_000);
    expect(await gateFor("v8", "production")).toMatchObject({ allowed: true, request: { emergency: true } });
    await decide(await as("maya@example.com"), { number, decision: "approve" });
    await decide(await as("sam@example.com"), { number, decision: "reject", comment: "Unreviewed dependency." });
    expect(await status(number)).toMatchObject({ status: "revoked" });
    expect(await gateFor("v8", "production")).toMatchObject({ allowed: false });
    expect(await told(number, "alice@example.com")).toEqual([
      "decision-made>alice@example.com",
      "request-approved>alice@example.com",
      "request-revoked>alice@example.com",
    ]);
    const [opening] = await t()
      .db.select()
      .from(notifications)
      .where(
        and(
          eq(notifications.template, "request-approved"),
          sql`${notifications.payload}->>'number' = ${String(number)}`,
        ),
      );
    expect(opening!.payload).toMatchObject({ retroDueAt: expect.any(String) });
    const emergencyStaging = await expectStatus(file("v8", "staging", { emergency: true }), 400);
    expect(emergencyStaging.fieldErrors?.emergency).toBeDefined();
  });

  it("delegation: the delegate's decision counts for the delegator and says so", async () => {
    await createDelegation(await as("sam@example.com"), {
      to: "bob@example.com",
      startsAt: new Date(Date.now() - 60_000),
      endsAt: new Date(Date.now() + 86_400_000),
    });
    await expectStatus(
      createDelegation(await as("sam@example.com"), {
        to: "sam@example.com",
        startsAt: "2026-01-01",
        endsAt: "2026-01-02",
      }),
      400,
    );
    const toBob = await t()
      .db.select()
      .from(notifications)
      .where(
        and(eq(notifications.template, "delegation-started"), eq(notifications.recipientEmail, "bob@example.com")),
      );
    expect(toBob).toHaveLength(1);
    expect(toBob[0]!.payload).toMatchObject({
      delegatorName: "Sam Ferreira",
      url: expect.stringMatching(/^https?:\/\/.+\/inbox$/),
    });
    const number = await file("v1", "production");
    await submitRequest(await as("alice@example.com"), { number });
    const result = await decide(await as("bob@example.com"), { number, decision: "approve" });
    expect(result.onBehalfOf).toBeTruthy();
    const [d] = await t()
      .sql`select d.on_behalf_of, u.email from decisions d join users u on u.id = d.principal_id join change_requests r on r.id = d.request_id where r.number = ${number}`;
    expect(d!.email).toBe("sam@example.com");
    await expectStatus(decide(await as("sam@example.com"), { number, decision: "approve" }), 409); // sam already counts
  });

  it("approvals expire when not deployed in time; deploy, withdraw and revoke check who and when", async () => {
    const old = new Date(Date.now() - 30 * 86_400_000);
    const number = (
      await createRequest(await as("alice@example.com", old), {
        model: "fraud-detector",
        version: "v2",
        environment: "staging",
        title: "Old one",
      })
    ).number;
    await submitRequest(await as("alice@example.com", old), { number });
    await decide(await as("lee@example.com", old), { number, decision: "approve" });
    expect(await gateFor("v2", "staging")).toMatchObject({ allowed: false });
    await expectStatus(markDeployed(await as("alice@example.com"), { number }), 409);
    expect(await expireApprovals(t().db)).toBeGreaterThanOrEqual(1);
    expect(await status(number)).toMatchObject({ status: "expired" });

    const fresh = await file("v2", "staging");
    await submitRequest(await as("alice@example.com"), { number: fresh });
    await decide(await as("lee@example.com"), { number: fresh, decision: "approve" });
    await expectStatus(markDeployed(await as("maya@example.com"), { number: fresh }), 403);
    await expectStatus(withdrawRequest(await as("maya@example.com"), { number: fresh }), 403);
    await expectStatus(revokeRequest(await as("lee@example.com"), { number: fresh }), 400);
    await expectStatus(revokeRequest(await as("alice@example.com"), { number: fresh, reason: "nope" }), 403);
    await markDeployed(await as("alice@example.com"), { number: fresh });
    expect(await gateFor("v2", "staging")).toMatchObject({ allowed: true, request: { status: "deployed" } });
    await expectStatus(withdrawRequest(await as("alice@example.com"), { number: fresh }), 409);
    await revokeRequest(await as("lee@example.com"), { number: fresh, reason: "Found a data leak." });
    expect(await gateFor("v2", "staging")).toMatchObject({ allowed: false });
    await expectStatus(revokeRequest(await as("lee@example.com"), { number: fresh, reason: "again" }), 409);
    expect(await told(fresh, "alice@example.com")).toEqual([
      "request-approved>alice@example.com",
      "request-deployed>alice@example.com",
      "request-revoked>alice@example.com",
    ]);
  });

  it("comments: @mentions notify the person; bad input is a 400", async () => {
    const number = await file("v3", "staging");
    await addComment(await as("alice@example.com"), {
      number,
      body: "@maya could you look at the budget? cc @lee@example.com",
    });
    await expectStatus(addComment(await as("alice@example.com"), { number, body: "   " }), 400);
    await expectStatus(addComment(await as("alice@example.com"), { number: 999999, body: "hello" }), 404);
    await settleDeliveries();
    const mentions = await t()
      .db.select()
      .from(notifications)
      .where(eq(notifications.subject, `[CR-${number}] Alice Moreau mentioned you`));
    expect(mentions.map((m) => m.recipientEmail).sort()).toEqual(["lee@example.com", "maya@example.com"]);
    expect(mentions.map((m) => m.template)).toEqual(["comment-mention", "comment-mention"]);
  });

  // Last in the file: the extra approver would be told about every later production request.
  it("one email per person: an approver of both steps of the opened stage is told once, naming both", async () => {
    const [dual] = await addPeople(t().db, "dual", 1, "manager", "Fraud");
    await t().sql`insert into user_roles (user_id, role) select id, 'security' from users where email = ${dual!}`;
    const number = await file("v5", "production");
    await submitRequest(await as("alice@example.com"), { number });
    const mail = await t()
      .db.select()
      .from(notifications)
      .where(
        and(eq(notifications.recipientEmail, dual!), sql`${notifications.payload}->>'number' = ${String(number)}`),
      );
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe(`[CR-${number}] Your approval is needed: Manager sign-off and Security review`);
  });

  it("withdrawal tells the approvers who were asked (not later stages) that nothing is left to decide", async () => {
    const number = await file("v6", "production");
    await submitRequest(await as("alice@example.com"), { number });
    await expectStatus(withdrawRequest(await as("maya@example.com"), { number }), 403);
    await withdrawRequest(await as("alice@example.com"), { number, reason: "Superseded by v7." });
    await settleDeliveries();
    const told = (await t().db.select().from(notifications).where(eq(notifications.template, "request-update")))
      .filter((m) => (m.payload as { number: number }).number === number)
      .map((m) => `${m.recipientEmail}: ${(m.payload as { headline: string }).headline}`)
      .sort();
    expect(told).toEqual(
      expect.arrayContaining([
        "maya@example.com: Withdrawn by the requester: nothing left to decide",
        "sam@example.com: Withdrawn by the requester: nothing left to decide",
      ]),
    );
    expect(told.filter((m) => m.startsWith("lee@") || m.startsWith("alice@") || m.startsWith("mo@"))).toEqual([]); // stage 2, the requester, another team
  });
});
