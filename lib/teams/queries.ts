import "server-only";
import { asc, count, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { memberships, teams } from "@/db/schema";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { mayAdminister } from "../users/permissions";

export async function listTeams(db: Db) {
  return db
    .select({ id: teams.id, name: teams.name, createdAt: teams.createdAt, members: count(memberships.userId) })
    .from(teams)
    .leftJoin(memberships, eq(memberships.teamId, teams.id))
    .groupBy(teams.id)
    .orderBy(asc(teams.name));
}

/** The teams with their member counts, for the admin area. */
export async function readTeamAdmin(ctx: UserContext) {
  permit(mayAdminister(ctx.actor), "This needs the admin role.");
  return listTeams(ctx.db);
}
