import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { auditEvents, teams } from "../../db/schema";
import { createTeam } from "../../lib/teams/create-team";
import { renameTeam } from "../../lib/teams/rename-team";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, race, seed } from "../support/fixtures";

describeDb("team verbs", (t) => {
  beforeAll(async () => seed(t().db));
  const ctx = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });

  it("createTeam: an admin creates a team and the audit log says so", async () => {
    const team = await createTeam(await ctx("ada@example.com"), { name: "  Vision  " });
    expect(team.name).toBe("Vision");
    const [event] = await t().db.select().from(auditEvents).where(eq(auditEvents.entityId, team.id));
    expect(event).toMatchObject({ action: "team.created", actorEmail: "ada@example.com" });
  });

  it("createTeam: requesters are refused, bad names are 400, names are unique ignoring case", async () => {
    await expectStatus(createTeam(await ctx("alice@example.com"), { name: "Growth" }), 403);
    const error = await expectStatus(createTeam(await ctx("ada@example.com"), { name: "x" }), 400);
    expect(error.fieldErrors?.name?.[0]).toMatch(/at least 2/);
    await expectStatus(createTeam(await ctx("ada@example.com"), { name: "FRAUD" }), 409);
  });

  it("createTeam: concurrent creates of one name make one team", async () => {
    const admin = await ctx("ada@example.com");
    const { ok, statuses } = await race(
      ["Ranking", "ranking", "RANKING", "Ranking"].map((name) => () => createTeam(admin, { name })),
    );
    expect(ok).toHaveLength(1);
    expect(statuses).toEqual([409, 409, 409]);
  });

  it("renameTeam: renames with before/after in the audit log; refuses requesters, bad input, taken names", async () => {
    const [fraud] = await t().db.select().from(teams).where(eq(teams.name, "Fraud"));
    await expectStatus(renameTeam(await ctx("maya@example.com"), { teamId: fraud!.id, name: "Fraud & Risk" }), 403);
    await expectStatus(renameTeam(await ctx("ada@example.com"), { teamId: "nope", name: "Fraud & Risk" }), 400);
    await expectStatus(
      renameTeam(await ctx("ada@example.com"), { teamId: crypto.randomUUID(), name: "Fraud & Risk" }),
      404,
    );
    await expectStatus(renameTeam(await ctx("ada@example.com"), { teamId: fraud!.id, name: "search" }), 409);
    const renamed = await renameTeam(await ctx("ada@example.com"), { teamId: fraud!.id, name: "Fraud & Risk" });
    expect(renamed).toMatchObject({ name: "Fraud & Risk", changed: true });
    const [event] = await t().db.select().from(auditEvents).where(eq(auditEvents.action, "team.renamed"));
    expect(event!.data).toEqual({ before: "Fraud", after: "Fraud & Risk" });
  });

  it("renameTeam: two teams renamed to one name at once: one wins, one gets 409", async () => {
    const admin = await ctx("ada@example.com");
    const all = await t().db.select().from(teams);
    const [a, b] = [all.find((x) => x.name === "Search")!, all.find((x) => x.name === "Vision")!];
    const { ok, statuses } = await race([
      () => renameTeam(admin, { teamId: a.id, name: "Discovery" }),
      () => renameTeam(admin, { teamId: b.id, name: "discovery" }),
    ]);
    expect(ok).toHaveLength(1);
    expect(statuses).toEqual([409]);
  });
});
