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

/**
 * Everyone active who holds any role, with their roles and teams: who could ever decide a step. For
 * checking that a chain can complete (lib/policies/capacity.ts); `name` is what messages show.
 */
export async function loadDeciders(
  tx: Db | Tx,
): Promise<{ id: string; name: string; roles: Role[]; teamIds: string[] }[]> {
  const [roles, teams] = await Promise.all([
    tx
      .select({ id: users.id, name: users.name, email: users.email, role: userRoles.role })
      .from(userRoles)
      .innerJoin(users, eq(users.id, userRoles.userId))
      .where(eq(users.active, true))
      .orderBy(users.name, users.email),
    tx
      .select({ userId: memberships.userId, teamId: memberships.teamId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(users.active, true)),
  ]);
  const people = new Map<string, { id: string; name: string; roles: Role[]; teamIds: string[] }>();
  for (const r of roles) {
    const person = people.get(r.id) ?? { id: r.id, name: r.name ?? r.email, roles: [], teamIds: [] };
    person.roles.push(r.role as Role);
    people.set(r.id, person);
  }
  for (const m of teams) people.get(m.userId)?.teamIds.push(m.teamId);
  return [...people.values()];
}
