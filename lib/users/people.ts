import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { memberships, userRoles, users } from "@/db/schema";
import type { Role } from "@/db/schema/org";

/** Someone who may be asked to decide: what eligibility rules look at. */
export type Person = { id: string; roles: readonly Role[]; teamIds: readonly string[] };

/** People (active) with their roles and teams, for eligibility checks and notifications. */
export async function loadPeople(
  tx: Db | Tx,
  ids: string[],
): Promise<(Person & { email: string; name: string | null })[]> {
  if (!ids.length) return [];
  const [people, roles, teams] = await Promise.all([
    tx
      .select({ id: users.id, email: users.email, name: users.name })
      .from(users)
      .where(and(inArray(users.id, ids), eq(users.active, true))),
    tx.select().from(userRoles).where(inArray(userRoles.userId, ids)),
    tx.select().from(memberships).where(inArray(memberships.userId, ids)),
  ]);
  return people.map((p) => ({
    ...p,
    roles: roles.filter((r) => r.userId === p.id).map((r) => r.role as Role),
    teamIds: teams.filter((t) => t.userId === p.id).map((t) => t.teamId),
  }));
}

/** Everyone active who holds a role (optionally only members of a team). */
export async function holdersOf(tx: Db | Tx, role: Role, teamId?: string) {
  const base = tx
    .select({ id: users.id, email: users.email, name: users.name })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId));
  if (!teamId) return base.where(and(eq(userRoles.role, role), eq(users.active, true)));
  return base
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.teamId, teamId)))
    .where(and(eq(userRoles.role, role), eq(users.active, true)));
}
