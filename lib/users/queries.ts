import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { memberships, teams, userRoles, users } from "@/db/schema";
import type { Role } from "@/db/schema/org";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { mayAdminister } from "./permissions";

export type UserRow = {
  id: string;
  email: string;
  name: string | null;
  active: boolean;
  roles: Role[];
  teams: { id: string; name: string }[];
};

/** Everyone, with roles and teams, for the admin page and the CLI. */
export async function listUsers(db: Db): Promise<UserRow[]> {
  const [people, roles, teamRows] = await Promise.all([
    db
      .select({ id: users.id, email: users.email, name: users.name, active: users.active })
      .from(users)
      .orderBy(asc(users.email)),
    db.select({ userId: userRoles.userId, role: userRoles.role }).from(userRoles),
    db
      .select({ userId: memberships.userId, id: teams.id, name: teams.name })
      .from(memberships)
      .innerJoin(teams, eq(teams.id, memberships.teamId))
      .orderBy(asc(teams.name)),
  ]);
  return people.map((p) => ({
    ...p,
    roles: roles
      .filter((r) => r.userId === p.id)
      .map((r) => r.role)
      .sort(),
    teams: teamRows.filter((t) => t.userId === p.id).map(({ id, name }) => ({ id, name })),
  }));
}

/** The user list, for admins (the admin page and GET /api/v1/users). */
export async function readUsers(ctx: UserContext): Promise<UserRow[]> {
  permit(mayAdminister(ctx.actor), "This needs the admin role.");
  return listUsers(ctx.db);
}

export async function findUserByEmail(db: Db, email: string) {
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, active: users.active })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()));
  return user ?? null;
}
