import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { userRoles, users } from "@/db/schema";
import type { Actor } from "../auth/actor";
import { Conflict, Forbidden, NotFound } from "../errors";

/** Locks a user row for the rest of the transaction so changes to one person queue up. */
export async function lockUser(tx: Tx, id: string) {
  const [user] = await tx
    .select({ id: users.id, email: users.email, active: users.active })
    .from(users)
    .where(eq(users.id, id))
    .for("update");
  if (!user) throw new NotFound("No such user.");
  return user;
}

/**
 * Locks every admin grant and returns the ids of ACTIVE admins. Verbs that could remove an admin take
 * this lock first, so two admins removing each other at once cannot leave nobody in charge.
 */
export async function lockActiveAdmins(tx: Tx, actor: Actor): Promise<string[]> {
  const rows = await tx.execute<{ user_id: string; active: boolean }>(sql`
    select r.user_id, u.active from ${userRoles} r join ${users} u on u.id = r.user_id
    where r.role = 'admin' for update of r`);
  const admins = Array.from(rows)
    .filter((r) => r.active)
    .map((r) => r.user_id);
  // The actor was checked before the transaction; check again under the lock.
  if (actor.kind === "user" && !admins.includes(actor.id)) throw new Forbidden("You are no longer an admin.");
  return admins;
}

export function assertNotLastAdmin(admins: string[], userId: string, what: string): void {
  if (admins.includes(userId) && admins.length === 1) {
    throw new Conflict(`${what}: Greenlight needs at least one active admin. Make someone else an admin first.`);
  }
}
