import { and, eq, sql } from "drizzle-orm";
import { beforeAll, expect, it, vi } from "vitest";
import { auditEvents, delegations, notifications } from "../../db/schema";
import { systemActor } from "../../lib/auth/actor";
import { createDelegation } from "../../lib/delegations/create-delegation";
import { readDelegations } from "../../lib/delegations/queries";
import { revokeDelegation } from "../../lib/delegations/revoke-delegation";
import { createModel } from "../../lib/models/create-model";
import { registerVersion } from "../../lib/models/register-version";
import { createRequest } from "../../lib/requests/create-request";
import { decide } from "../../lib/requests/decide";
import { inbox } from "../../lib/requests/queries";
import { submitRequest } from "../../lib/requests/submit-request";
import { createToken } from "../../lib/tokens/create-token";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, race, userId } from "../support/fixtures";
import { addPeople, artifactDigestOf, seedRegistry } from "../support/registry";
import { callRoute, type CallOptions, type Handler } from "../support/routes";

// Delegation you can trust: scoped to a role and a team, a window that starts now or later, ended
// early by the delegator, the delegate or an admin (with mail to whoever did not end it), listed for
// both people, and the same over /api/v1.
const state = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("../../lib/session/config", () => ({ auth: async () => null, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));
const listRoute = await import("../../app/api/v1/delegations/route");
const oneRoute = await import("../../app/api/v1/delegations/[id]/route");

const call = (handler: Handler, opts: CallOptions = {}) => callRoute(handler, "/api/v1/delegations", opts);

const DAY = 86_400_000;
const soon = (days: number) => new Date(Date.now() + days * DAY);

describeDb("delegations: scoped, ended early, visible", (t) => {
  const people = ["sam", "bob", "ada", "mo", "maya"] as const;
  const tokens = {} as Record<(typeof people)[number], string>;
  let teams: { fraud: string; search: string };
  beforeAll(async () => {
    const { db } = t();
    state.db = db;
    await seedRegistry(db);
    const rows = await t().sql`select id, name from teams`;
    teams = {
      fraud: rows.find((r) => r.name === "Fraud")!.id as string,
      search: rows.find((r) => r.name === "Search")!.id as string,
    };
    for (const who of people) {
      tokens[who] = (await createToken(await as(`${who}@example.com`), { name: "ci" })).token;
    }
  });
  const as = async (email: string, now?: Date) => ({ db: t().db, actor: await actorFor(t().db, email), now });
  const file = async (email: string, model: string, version: string, environment: "staging" | "production") => {
    const { number } = await createRequest(await as(email), {
      model,
      version,
      environment,
      title: `${model} ${version}`,
    });
    await submitRequest(await as(email), { number });
    return number;
  };
  const stepOf = async (number: number, role: string) => {
    const [row] = await t()
      .sql`select s.id from request_steps s join change_requests r on r.id = s.request_id and r.revision = s.revision where r.number = ${number} and s.role = ${role}`;
    return row!.id as string;
  };
  const mail = async (template: string, entity?: string) => {
    const rows = await t().db.select().from(notifications).where(eq(notifications.template, template));
    return rows
      .filter((m) => !entity || JSON.stringify(m.payload).includes(entity))
      .map((m) => `${m.recipientEmail}:${(m.payload as { recipient?: string }).recipient ?? ""}`)
      .sort();
  };
  const audits = async (action: string, id: string) =>
    t()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, action), eq(auditEvents.entityId, id)));

  it("create: scoped to one of the delegator's roles and a team, told to the delegate, audited", async () => {
    const [dual] = await addPeople(t().db, "dual", 1, "manager", "Fraud");
    await t().sql`insert into user_roles (user_id, role) select id, 'security' from users where email = ${dual!}`;
    const made = await createDelegation(await as(dual!), {
      to: "bob@example.com",
      startsAt: new Date(Date.now() - 60_000), // a start already past means now
      endsAt: soon(5),
      role: "manager",
      teamId: teams.fraud,
      reason: "Conference",
    });
    expect(made).toMatchObject({ role: "manager", team: { name: "Fraud" }, to: { email: "bob@example.com" } });
    expect(made.startsAt.getTime()).toBeGreaterThan(Date.now() - 30_000);
    const [told] = await t()
      .db.select()
      .from(notifications)
      .where(
        and(eq(notifications.template, "delegation-started"), sql`${notifications.payload}->>'reason' = 'Conference'`),
      );
    expect(told!.payload).toMatchObject({ scope: "Manager steps, Fraud requests only" });
    const [audit] = await audits("delegation.created", made.id);
    expect(audit!.data).toMatchObject({ to: "bob@example.com", role: "manager", team: { name: "Fraud" } });

    // The scope holds: Bob decides the manager step for the delegator, never the security step.
    const number = await file("alice@example.com", "fraud-detector", "v1", "production");
    const bob = await as("bob@example.com");
    const waiting = (await inbox(t().db, bob.actor)).waiting.filter((w) => w.number === number);
    expect(waiting.map((w) => `${w.stepName} for ${w.onBehalfOf}`)).toEqual(["Manager sign-off for dual 0"]);
    await expectStatus(decide(bob, { number, decision: "approve", stepId: await stepOf(number, "security") }), 403);
    const done = await decide(bob, { number, decision: "approve" });
    expect(done).toMatchObject({ step: { name: "Manager sign-off" }, onBehalfOf: await userId(t().db, dual!) });
  });

  it("create: refused for someone else's role, the system, and bad windows or fields (400 at the field)", async () => {
    const sam = await as("sam@example.com");
    const role = await expectStatus(
      createDelegation(sam, { to: "bob@example.com", endsAt: soon(2), role: "manager" }),
      400,
    );
    expect(role.fieldErrors).toEqual({
      role: ["You do not hold the Manager role: a delegation passes on only a role you hold."],
    });
    await expectStatus(
      createDelegation({ db: t().db, actor: systemActor("test") }, { to: "bob@example.com", endsAt: soon(2) }),
      403,
    );
    const fields = async (input: Record<string, unknown>) =>
      Object.keys(
        (await expectStatus(createDelegation(sam, { to: "bob@example.com", ...input }), 400)).fieldErrors ?? {},
      );
    expect(await fields({ endsAt: new Date(Date.now() - DAY) })).toEqual(["endsAt"]); // an end in the past
    expect(await fields({ startsAt: soon(4), endsAt: soon(3) })).toEqual(["startsAt", "endsAt"]); // start after end
    expect(await fields({ startsAt: soon(1), endsAt: soon(92) })).toEqual(["endsAt"]); // more than 90 days
    expect(await fields({ endsAt: soon(2), teamId: "fraud" })).toEqual(["teamId"]);
    expect(await fields({ endsAt: soon(2), teamId: "00000000-0000-4000-8000-000000000000" })).toEqual(["teamId"]);
    expect(await fields({ endsAt: soon(2), role: "wizard" })).toEqual(["role"]);
    expect(await fields({ endsAt: "someday" })).toEqual(["endsAt"]);
    expect(await fields({ to: "nobody@example.com", endsAt: soon(2) })).toEqual(["to"]);
    expect(await fields({ to: "sam@example.com", endsAt: soon(2) })).toEqual(["to"]);
  });

  it("a delegation that starts later gives nothing until it starts; a team-scoped one only that team's requests", async () => {
    const [owner] = await addPeople(t().db, "srch", 1, "requester", "Search");
    await createModel(await as(owner!), { name: "ranker", teamId: teams.search });
    await registerVersion(await as(owner!), {
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
    const [sec] = await addPeople(t().db, "secq", 1, "security");
    const [stand] = await addPeople(t().db, "stand", 1, "requester", "Search");
    const later = await createDelegation(await as(sec!), { to: stand!, startsAt: soon(1), endsAt: soon(3) });
    expect(later.startsAt.getTime()).toBeGreaterThan(Date.now() + DAY / 2);
    const scoped = await createDelegation(await as(sec!), {
      to: "mo@example.com",
      endsAt: soon(3),
      teamId: teams.search,
    });
    expect(scoped.team).toEqual({ id: teams.search, name: "Search" });

    const fraud = await file("alice@example.com", "fraud-detector", "v2", "production");
    const security = await stepOf(fraud, "security");
    await expectStatus(decide(await as(stand!), { number: fraud, decision: "approve", stepId: security }), 403);
    // Mo's delegation covers Search requests only; this is a Fraud request.
    await expectStatus(
      decide(await as("mo@example.com"), { number: fraud, decision: "approve", stepId: security }),
      403,
    );
    // Two days on, the later delegation is in force.
    const inTwoDays = await as(stand!, soon(2));
    expect((await decide(inTwoDays, { number: fraud, decision: "approve", stepId: security })).onBehalfOf).toBe(
      await userId(t().db, sec!),
    );

    const search = await file(owner!, "ranker", "r1", "production");
    const mo = await as("mo@example.com");
    const ranked = await decide(mo, { number: search, decision: "approve", stepId: await stepOf(search, "security") });
    expect(ranked.onBehalfOf).toBe(await userId(t().db, sec!));
  });

  it("revoke: the delegator ends it now; the delegate is told and decides nothing more for them", async () => {
    const [sec] = await addPeople(t().db, "secr", 1, "security");
    const given = await createDelegation(await as(sec!), { to: "bob@example.com", endsAt: soon(7) });
    const ended = await revokeDelegation(await as(sec!), { delegationId: given.id });
    expect(ended.revokedAt).not.toBeNull();
    expect(ended.revokedBy).toMatchObject({ email: sec! });
    const [row] = await t().db.select().from(delegations).where(eq(delegations.id, given.id));
    expect(row!.revokedBy).toBe(await userId(t().db, sec!));
    expect(await mail("delegation-ended", "secr 0")).toEqual(["bob@example.com:delegate"]);
    const [audit] = await audits("delegation.revoked", given.id);
    expect(audit!.data).toMatchObject({ from: sec!, to: "bob@example.com", before: "active" });

    const number = await file("alice@example.com", "fraud-detector", "v3", "production");
    const left = (await inbox(t().db, (await as("bob@example.com")).actor)).waiting.filter((w) => w.number === number);
    expect(left.map((w) => w.stepName)).not.toContain("Security review");
    await expectStatus(
      decide(await as("bob@example.com"), { number, decision: "approve", stepId: await stepOf(number, "security") }),
      403,
    );
    const again = await expectStatus(revokeDelegation(await as(sec!), { delegationId: given.id }), 409);
    expect(again.message).toBe("This delegation was already ended early.");
  });

  it("revoke: the delegate or an admin may; nobody else; an unknown or malformed id; one that ran out is a 409", async () => {
    const [sec] = await addPeople(t().db, "secs", 1, "security");
    const first = await createDelegation(await as(sec!), { to: "bob@example.com", endsAt: soon(7) });
    await expectStatus(revokeDelegation(await as("mo@example.com"), { delegationId: first.id }), 403);
    await expectStatus(revokeDelegation({ db: t().db, actor: systemActor("cli") }, { delegationId: first.id }), 403);
    const bad = await expectStatus(revokeDelegation(await as("bob@example.com"), { delegationId: "nope" }), 400);
    expect(Object.keys(bad.fieldErrors ?? {})).toEqual(["delegationId"]);
    await expectStatus(
      revokeDelegation(await as("bob@example.com"), { delegationId: "00000000-0000-4000-8000-000000000000" }),
      404,
    );
    await revokeDelegation(await as("bob@example.com"), { delegationId: first.id }); // the delegate
    expect(await mail("delegation-ended", "secs 0")).toEqual([`${sec!}:delegator`]);

    const second = await createDelegation(await as(sec!), { to: "bob@example.com", endsAt: soon(7) });
    await revokeDelegation(await as("ada@example.com"), { delegationId: second.id }); // an admin: both are told
    expect(await mail("delegation-ended", "secs 0")).toEqual(
      [`${sec!}:delegator`, `${sec!}:delegator`, "bob@example.com:delegate"].sort(),
    );

    const short = await createDelegation(await as(sec!), { to: "bob@example.com", endsAt: soon(1) });
    const ranOut = await expectStatus(revokeDelegation(await as(sec!, soon(2)), { delegationId: short.id }), 409);
    expect(ranOut.message).toBe("This delegation has already ended: its window ran out.");
  });

  it("race: five concurrent ends make one revocation, one audit event, one email", async () => {
    const [sec] = await addPeople(t().db, "sect", 1, "security");
    const d = await createDelegation(await as(sec!), { to: "bob@example.com", endsAt: soon(7) });
    const ctx = await as(sec!);
    const { ok, statuses } = await race(
      Array.from({ length: 5 }, () => () => revokeDelegation(ctx, { delegationId: d.id })),
    );
    expect(ok).toHaveLength(1);
    expect(statuses).toEqual([409, 409, 409, 409]);
    expect(await audits("delegation.revoked", d.id)).toHaveLength(1);
    expect(await mail("delegation-ended", "sect 0")).toEqual(["bob@example.com:delegate"]);
  });

  it("race: ending a delegation while its delegate decides: the decision either lands before or is refused", async () => {
    for (const version of ["v4", "v5", "v6"]) {
      const [sec] = await addPeople(t().db, `secu${version}`, 1, "security");
      const d = await createDelegation(await as(sec!), { to: "bob@example.com", endsAt: soon(7) });
      const number = await file("alice@example.com", "fraud-detector", version, "production");
      const stepId = await stepOf(number, "security");
      const [bob, owner] = [await as("bob@example.com"), await as(sec!)];
      const results = await Promise.allSettled([
        decide(bob, { number, decision: "approve", stepId }),
        revokeDelegation(owner, { delegationId: d.id }),
      ]);
      expect(results[1]!.status).toBe("fulfilled"); // ending always works
      const decided = results[0]!;
      if (decided.status === "rejected") expect((decided.reason as { status?: number }).status).toBe(403);
      const counted = await t()
        .sql`select count(*)::int as n from decisions d join change_requests r on r.id = d.request_id where r.number = ${number}`;
      expect(counted[0]!.n).toBe(decided.status === "fulfilled" ? 1 : 0);
    }
  });

  it("read: both people see it, with status; others may not, admins may", async () => {
    const [sec] = await addPeople(t().db, "secv", 1, "security");
    const d = await createDelegation(await as(sec!), { to: "maya@example.com", endsAt: soon(3) });
    const mine = await readDelegations(await as(sec!));
    expect(mine.given.map((g) => [g.id, g.status, g.canEnd])).toEqual([[d.id, "active", true]]);
    const theirs = await readDelegations(await as("maya@example.com"));
    expect(theirs.received.find((r) => r.id === d.id)).toMatchObject({ status: "active", canEnd: true });
    await expectStatus(readDelegations(await as("maya@example.com"), { user: sec! }), 403);
    const byAdmin = await readDelegations(await as("ada@example.com"), { user: sec! });
    expect(byAdmin.given.map((g) => g.id)).toEqual([d.id]);
    await expectStatus(readDelegations(await as("ada@example.com"), { user: "nobody@example.com" }), 404);
    await revokeDelegation(await as("maya@example.com"), { delegationId: d.id });
    expect((await readDelegations(await as(sec!))).given[0]).toMatchObject({ status: "ended_early", canEnd: false });
  });

  it("API: GET lists given and received, POST 201 with the shape, DELETE 200 then 409; 403, 404 and 400 as problems", async () => {
    const created = await call(listRoute.POST, {
      token: tokens.sam,
      method: "POST",
      body: JSON.stringify({ to: "mo@example.com", startsAt: soon(1).toISOString(), endsAt: soon(4).toISOString() }),
    });
    expect(created).toMatchObject({
      status: 201,
      body: {
        from: { email: "sam@example.com", name: "Sam Ferreira" },
        to: { email: "mo@example.com" },
        role: null,
        team: null,
        status: "scheduled",
        endedEarlyAt: null,
      },
    });
    const id = created.body.id as string;
    const bad = await call(listRoute.POST, {
      token: tokens.sam,
      method: "POST",
      body: JSON.stringify({ to: "mo@example.com", endsAt: soon(-1).toISOString(), role: "admin" }),
    });
    expect(bad).toMatchObject({ status: 400, type: "application/problem+json" });
    expect((await call(listRoute.POST, { token: tokens.sam, method: "POST", body: "[1]" })).status).toBe(400);

    const sams = await call(listRoute.GET, { token: tokens.sam });
    expect(sams.status).toBe(200);
    expect(sams.body.given.map((g: { id: string }) => g.id)).toContain(id);
    const mos = await call(listRoute.GET, { token: tokens.mo });
    expect(mos.body.received.find((r: { id: string }) => r.id === id)).toMatchObject({
      from: { email: "sam@example.com" },
    });
    expect((await call(listRoute.GET, { token: tokens.bob, query: "?user=sam@example.com" })).status).toBe(403);
    const forAdmin = await call(listRoute.GET, { token: tokens.ada, query: "?user=sam@example.com" });
    expect(forAdmin.body.user).toEqual({ email: "sam@example.com", name: "Sam Ferreira" });
    expect((await call(listRoute.GET, { token: tokens.ada, query: "?user=ghost@example.com" })).status).toBe(404);
    expect((await call(listRoute.GET)).status).toBe(401);

    const del = (token: string, params: Record<string, string>) =>
      call(oneRoute.DELETE, { token, method: "DELETE", params });
    expect(await del(tokens.bob, { id })).toMatchObject({ status: 403, type: "application/problem+json" });
    expect((await del(tokens.sam, { id: "00000000-0000-4000-8000-000000000000" })).status).toBe(404);
    expect((await del(tokens.sam, { id: "not-a-uuid" })).status).toBe(400);
    const ended = await del(tokens.mo, { id });
    expect(ended).toMatchObject({
      status: 200,
      body: { id, status: "ended_early", endedBy: { email: "mo@example.com" } },
    });
    expect(await del(tokens.sam, { id })).toMatchObject({
      status: 409,
      body: { detail: "This delegation was already ended early." },
    });
  });
});
