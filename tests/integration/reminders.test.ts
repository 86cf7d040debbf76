import { and, eq, gte } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { notifications } from "../../db/schema";
import { chaseOverdue } from "../../lib/requests/chase-overdue";
import { decide } from "../../lib/requests/decide";
import { createRequest } from "../../lib/requests/create-request";
import { submitRequest } from "../../lib/requests/submit-request";
import { describeDb } from "../support/database";
import { actorFor, race } from "../support/fixtures";
import { addPeople, seedRegistry } from "../support/registry";

// A controllable clock: every verb and every sweep gets its `now`.
const T0 = new Date("2031-05-05T08:00:00Z");
const after = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);

describeDb("reminders, escalation and expiry warnings", (t) => {
  beforeAll(async () => seedRegistry(t().db));
  const as = async (email: string, now: Date) => ({ db: t().db, actor: await actorFor(t().db, email), now });
  const mail = async (template: string, since: Date) =>
    (
      await t()
        .db.select()
        .from(notifications)
        .where(and(eq(notifications.template, template), gte(notifications.createdAt, since)))
    )
      .map((m) => `${m.recipientEmail} ${(m.payload as { stepName?: string }).stepName ?? ""}`.trim())
      .sort();

  const stepId = async (number: number, role: string) =>
    (
      await t()
        .sql`select s.id from request_steps s join change_requests r on r.id = s.request_id and r.revision = s.revision where r.number = ${number} and s.role = ${role}`
    )[0]!.id as string;

  it("an overdue step reminds its approvers once per SLA period and escalates at twice the SLA, to managers and admins", async () => {
    const { number } = await createRequest(await as("alice@example.com", T0), {
      model: "fraud-detector",
      version: "v1",
      environment: "production",
      title: "Chase me",
    });
    await submitRequest(await as("alice@example.com", T0), { number });
    const start = new Date();
    expect(await chaseOverdue(t().db, after(47))).toMatchObject({ reminded: 0, escalated: 0 });
    expect(await chaseOverdue(t().db, after(48))).toMatchObject({ reminded: 2, escalated: 0 });
    expect(await mail("sla-reminder", start)).toEqual([
      "maya@example.com Manager sign-off",
      "sam@example.com Security review",
    ]);
    expect(await chaseOverdue(t().db, after(48.5))).toMatchObject({ reminded: 0, escalated: 0 }); // once per period
    // The manager decides; only security is still overdue at twice the SLA.
    await decide(await as("maya@example.com", after(60)), { number, decision: "approve" });
    expect(await chaseOverdue(t().db, after(96))).toMatchObject({ reminded: 1, escalated: 1 });
    expect(await mail("escalation", start)).toEqual([
      "ada@example.com Security review",
      "maya@example.com Security review",
    ]);
    expect((await mail("sla-reminder", start)).filter((m) => m.startsWith("sam"))).toHaveLength(2);
    const audit = await t()
      .sql`select action from audit_events where action in ('request.step_reminded', 'request.step_escalated') and data->>'number' = ${String(number)} order by seq`;
    expect(audit.map((a) => a.action)).toEqual([
      "request.step_reminded",
      "request.step_reminded",
      "request.step_reminded",
      "request.step_escalated",
    ]);
  });

  it("two sweeps at once chase each step once", async () => {
    const { number } = await createRequest(await as("alice@example.com", T0), {
      model: "fraud-detector",
      version: "v2",
      environment: "staging",
      title: "Race the chase",
    });
    await submitRequest(await as("alice@example.com", T0), { number });
    const start = new Date();
    const { ok } = await race([0, 1, 2].map(() => () => chaseOverdue(t().db, after(25))));
    expect(ok.reduce((n, r) => n + r.reminded, 0)).toBe(1); // the staging ML lead step (24 h SLA)
    expect(await mail("sla-reminder", start)).toEqual(["lee@example.com ML lead review"]);
  });

  it("an approval about to lapse warns the requester once", async () => {
    const { number } = await createRequest(await as("alice@example.com", T0), {
      model: "fraud-detector",
      version: "v3",
      environment: "staging",
      title: "Expiring",
    });
    await submitRequest(await as("alice@example.com", T0), { number });
    await decide(await as("lee@example.com", after(1)), { number, decision: "approve" });
    const start = new Date();
    const expires = new Date(
      (await t().sql`select approval_expires_at from change_requests where number = ${number}`)[0]!
        .approval_expires_at as string | Date,
    );
    const hoursLeft = (expires.getTime() - T0.getTime()) / 3_600_000;
    expect((await chaseOverdue(t().db, after(hoursLeft - 72))).expiring).toBe(0);
    expect((await chaseOverdue(t().db, after(hoursLeft - 24))).expiring).toBe(1);
    expect((await chaseOverdue(t().db, after(hoursLeft - 12))).expiring).toBe(0);
    expect(await mail("approval-expiring", start)).toEqual(["alice@example.com"]);
  });

  it("reminders go only to people the decide verb would accept: someone whose seat is taken on the revision is not chased", async () => {
    // A Fraud manager who also holds security: deciding the manager step takes their one seat.
    const [dual] = await addPeople(t().db, "dual", 1, "manager", "Fraud");
    await t().sql`insert into user_roles (user_id, role) select id, 'security' from users where email = ${dual!}`;
    const { number } = await createRequest(await as("alice@example.com", T0), {
      model: "fraud-detector",
      version: "v4",
      environment: "production",
      title: "One seat",
    });
    await submitRequest(await as("alice@example.com", T0), { number });
    await decide(await as(dual!, after(1)), { number, decision: "approve", stepId: await stepId(number, "manager") });
    const start = new Date();
    expect(await chaseOverdue(t().db, after(48))).toMatchObject({ reminded: 1 });
    expect(await mail("sla-reminder", start)).toEqual(["sam@example.com Security review"]);
  });
});
