import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { auditEvents, memberships, userRoles, users } from "../../db/schema";
import { loadActor } from "../../lib/auth/load-actor";
import { createUser } from "../../lib/users/create-user";
import { deactivateUser } from "../../lib/users/deactivate-user";
import { grantRole } from "../../lib/users/grant-role";
import { reactivateUser } from "../../lib/users/reactivate-user";
import { revokeRole } from "../../lib/users/revoke-role";
import { setUserTeams } from "../../lib/users/set-teams";
import { listTeams } from "../../lib/teams/queries";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, race, seed, userId } from "../support/fixtures";

describeDb("user administration verbs", (t) => {
  beforeAll(async () => seed(t().db));
  const ctx = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });
  const events = (action: string, entityId: string) =>
    t()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, action), eq(auditEvents.entityId, entityId)));

  it("grantRole: an admin grants; the change and its audit event land together", async () => {
    const bob = await userId(t().db, "bob@example.com");
    expect(await grantRole(await ctx("ada@example.com"), { userId: bob, role: "security" })).toEqual({ changed: true });
    expect((await loadActor(t().db, bob))!.roles).toContain("security");
    const [event] = await events("user.role_granted", bob);
    expect(event).toMatchObject({
      actorEmail: "ada@example.com",
      data: { role: "security", email: "bob@example.com" },
    });
  });

  it("grantRole: a requester is refused (403) and nothing changes", async () => {
    const bob = await userId(t().db, "bob@example.com");
    await expectStatus(grantRole(await ctx("alice@example.com"), { userId: bob, role: "admin" }), 403);
    expect((await loadActor(t().db, bob))!.roles).not.toContain("admin");
  });

  it("grantRole: bad input is a 400 naming the field", async () => {
    const error = await expectStatus(grantRole(await ctx("ada@example.com"), { userId: "x", role: "overlord" }), 400);
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["role"]);
    await expectStatus(grantRole(await ctx("ada@example.com"), { role: "manager" }), 400);
    await expectStatus(grantRole(await ctx("ada@example.com"), { userId: "no-such-user", role: "manager" }), 404);
  });

  it("grantRole: 20 concurrent grants of one role change it once and record one event", async () => {
    const mo = await userId(t().db, "mo@example.com");
    const admin = await ctx("ada@example.com");
    const { ok, statuses } = await race(
      Array.from({ length: 20 }, () => () => grantRole(admin, { userId: mo, role: "ml_lead" })),
    );
    expect(statuses).toEqual([]);
    expect(ok.filter((r) => r.changed)).toHaveLength(1);
    expect(await events("user.role_granted", mo)).toHaveLength(1);
  });

  it("revokeRole: success, refusal for a requester, bad input", async () => {
    const mo = await userId(t().db, "mo@example.com");
    await expectStatus(revokeRole(await ctx("bob@example.com"), { userId: mo, role: "ml_lead" }), 403);
    await expectStatus(revokeRole(await ctx("ada@example.com"), { userId: mo, role: 7 }), 400);
    expect(await revokeRole(await ctx("ada@example.com"), { userId: mo, role: "ml_lead" })).toEqual({
      changed: true,
      role: "ml_lead",
    });
    expect(await revokeRole(await ctx("ada@example.com"), { userId: mo, role: "ml_lead" })).toEqual({
      changed: false,
      role: "ml_lead",
    });
    expect(await events("user.role_revoked", mo)).toHaveLength(1);
  });

  it("revokeRole: the last admin cannot remove their own admin role (409)", async () => {
    const ada = await userId(t().db, "ada@example.com");
    const error = await expectStatus(revokeRole(await ctx("ada@example.com"), { userId: ada, role: "admin" }), 409);
    expect(error.message).toMatch(/at least one active admin/);
    expect((await loadActor(t().db, ada))!.roles).toContain("admin");
  });

  it("revokeRole: two admins removing each other at once leave exactly one admin", async () => {
    const [ada, lee] = [await userId(t().db, "ada@example.com"), await userId(t().db, "lee@example.com")];
    await grantRole(await ctx("ada@example.com"), { userId: lee, role: "admin" });
    const [asAda, asLee] = [await ctx("ada@example.com"), await ctx("lee@example.com")];
    const { ok, statuses } = await race([
      () => revokeRole(asAda, { userId: lee, role: "admin" }),
      () => revokeRole(asLee, { userId: ada, role: "admin" }),
    ]);
    expect(ok).toHaveLength(1);
    expect(statuses).toHaveLength(1);
    expect([403, 409]).toContain(statuses[0]);
    const admins = await t().db.select().from(userRoles).where(eq(userRoles.role, "admin"));
    expect(admins).toHaveLength(1);
    // Put things back for the next tests: whoever is left makes the other admin again.
    const survivor = admins[0]!.userId === ada ? "ada@example.com" : "lee@example.com";
    await grantRole(await ctx(survivor), { userId: survivor === "ada@example.com" ? lee : ada, role: "admin" });
    await revokeRole(await ctx("ada@example.com"), { userId: lee, role: "admin" });
  });

  it("deactivateUser: the user can no longer act; a second attempt is a 409; self and requester refused", async () => {
    const bob = await userId(t().db, "bob@example.com");
    await expectStatus(deactivateUser(await ctx("alice@example.com"), { userId: bob }), 403);
    await expectStatus(deactivateUser(await ctx("ada@example.com"), {}), 400);
    await expectStatus(
      deactivateUser(await ctx("ada@example.com"), { userId: await userId(t().db, "ada@example.com") }),
      409,
    );
    await deactivateUser(await ctx("ada@example.com"), { userId: bob });
    expect(await loadActor(t().db, bob)).toBeNull(); // the session callback ends a session on null
    await expectStatus(deactivateUser(await ctx("ada@example.com"), { userId: bob }), 409);
  });

  it("a deactivated admin's in-flight actor is refused under the lock", async () => {
    const lee = await userId(t().db, "lee@example.com");
    await grantRole(await ctx("ada@example.com"), { userId: lee, role: "admin" });
    const staleLee = await ctx("lee@example.com"); // as if Lee's request started before deactivation
    await deactivateUser(await ctx("ada@example.com"), { userId: lee });
    await expectStatus(revokeRole(staleLee, { userId: await userId(t().db, "mo@example.com"), role: "manager" }), 403);
    await reactivateUser(await ctx("ada@example.com"), { userId: lee });
    await revokeRole(await ctx("ada@example.com"), { userId: lee, role: "admin" });
  });

  it("reactivateUser: success once, then 409; concurrent reactivations succeed exactly once", async () => {
    const bob = await userId(t().db, "bob@example.com");
    await expectStatus(reactivateUser(await ctx("maya@example.com"), { userId: bob }), 403);
    await expectStatus(reactivateUser(await ctx("ada@example.com"), { userId: "" }), 400);
    const admin = await ctx("ada@example.com");
    const { ok, statuses } = await race(Array.from({ length: 10 }, () => () => reactivateUser(admin, { userId: bob })));
    expect(ok).toHaveLength(1);
    expect(statuses).toEqual(Array(9).fill(409));
    expect(await loadActor(t().db, bob)).not.toBeNull();
  });

  it("deactivateUser: concurrent deactivations of one user succeed exactly once", async () => {
    const mo = await userId(t().db, "mo@example.com");
    const admin = await ctx("ada@example.com");
    const { ok, statuses } = await race(Array.from({ length: 10 }, () => () => deactivateUser(admin, { userId: mo })));
    expect(ok).toHaveLength(1);
    expect(statuses).toEqual(Array(9).fill(409));
    expect(await events("user.deactivated", mo)).toHaveLength(1);
    await reactivateUser(admin, { userId: mo });
  });

  it("setUserTeams: replaces memberships; refuses requesters, unknown teams; concurrent sets stay consistent", async () => {
    const sam = await userId(t().db, "sam@example.com");
    const teams = await listTeams(t().db);
    const [fraud, search] = [teams.find((x) => x.name === "Fraud")!.id, teams.find((x) => x.name === "Search")!.id];
    await expectStatus(setUserTeams(await ctx("alice@example.com"), { userId: sam, teamIds: [fraud] }), 403);
    await expectStatus(setUserTeams(await ctx("ada@example.com"), { userId: sam, teamIds: ["not-a-uuid"] }), 400);
    await expectStatus(
      setUserTeams(await ctx("ada@example.com"), { userId: sam, teamIds: [crypto.randomUUID()] }),
      400,
    );
    expect(await setUserTeams(await ctx("ada@example.com"), { userId: sam, teamIds: [fraud, search] })).toEqual({
      changed: true,
    });

    const admin = await ctx("ada@example.com");
    const choices = [[fraud], [search], [], [fraud, search]];
    const { statuses } = await race(choices.flatMap((c) => [() => setUserTeams(admin, { userId: sam, teamIds: c })]));
    expect(statuses).toEqual([]);
    const final = (await t().db.select().from(memberships).where(eq(memberships.userId, sam)))
      .map((m) => m.teamId)
      .sort();
    expect(choices.map((c) => [...c].sort())).toContainEqual(final);
    const last = (await events("user.teams_changed", sam)).sort((a, b) => b.seq - a.seq)[0]!;
    expect([...(last.data.after as string[])].sort()).toEqual(final);
  });

  it("createUser: adds a person with roles; duplicates (even racing) are 409; bad email is 400", async () => {
    const admin = await ctx("ada@example.com");
    await expectStatus(createUser(await ctx("alice@example.com"), { email: "new@example.com" }), 403);
    const bad = await expectStatus(createUser(admin, { email: "not an email" }), 400);
    expect(bad.fieldErrors?.email).toBeDefined();
    const { ok, statuses } = await race(
      Array.from(
        { length: 8 },
        () => () => createUser(admin, { email: "Nia@Example.com", name: "Nia", roles: ["requester", "manager"] }),
      ),
    );
    expect(ok).toHaveLength(1);
    expect(statuses).toEqual(Array(7).fill(409));
    const [nia] = await t().db.select().from(users).where(eq(users.email, "nia@example.com"));
    expect((await loadActor(t().db, nia!.id))!.roles).toEqual(["manager", "requester"]);
  });
});
