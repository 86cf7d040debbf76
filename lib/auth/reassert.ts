import "server-only";
import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { userRoles, users } from "@/db/schema";
import type { Role } from "@/db/schema/org";
import { Forbidden } from "../errors";
import type { Actor } from "./actor";

/**
 * The actor's roles were read when their request began. Inside the verb's transaction, check again
 * (and hold a share lock on their grant): someone deactivated or demoted a moment ago must not act.
 */
export async function reassertRole(tx: Tx, actor: Actor, role: Role): Promise<void> {
  if (actor.kind === "system") return;
  const [grant] = await tx
    .select({ userId: userRoles.userId })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId))
    .where(and(eq(userRoles.userId, actor.id), eq(userRoles.role, role), eq(users.active, true)))
    .for("share", { of: userRoles });
  if (!grant) throw new Forbidden(`You no longer hold the ${role} role.`);
}
