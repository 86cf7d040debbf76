import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { memberships, userRoles, users } from "@/db/schema";
import type { Actor } from "./actor";

/**
 * The acting user as the database knows them now; null when missing or deactivated. With `lock`
 * (inside a verb's transaction) their user row is share-locked until commit: deactivating them, or
 * changing their roles, waits for the verb rather than racing it.
 */
export async function loadActor(
  db: Db | Tx,
  userId: string,
  options: { lock?: boolean } = {},
): Promise<Extract<Actor, { kind: "user" }> | null> {
  const query = db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.active, true)));
  const [user] = options.lock ? await query.for("share") : await query;
  if (!user) return null;
  const [roles, teams] = await Promise.all([
    db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId)),
    db.select({ teamId: memberships.teamId }).from(memberships).where(eq(memberships.userId, userId)),
  ]);
  return {
    kind: "user",
    ...user,
    roles: roles.map((r) => r.role).sort(),
    teamIds: teams.map((t) => t.teamId),
  };
}
