import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { userRoles } from "@/db/schema";
import { assertRole } from "../auth/actor";
import { reassertRole } from "../auth/reassert";
import { recordAudit } from "../audit/record";
import { parseInput } from "../validation";
import { inTransaction, type VerbContext } from "../verb";
import { assertNotLastAdmin, lockActiveAdmins, lockUser } from "./lock";
import { role, userId } from "./schemas";

const Input = z.object({ userId, role });

/** Takes a role away. The last active admin cannot lose the admin role. */
export async function revokeRole(ctx: VerbContext, raw: unknown) {
  assertRole(ctx.actor, "admin");
  const input = parseInput(Input, raw);
  return inTransaction(ctx, async (tx) => {
    // Taking the admin role away locks every admin grant (which also re-checks the actor);
    // share-locking the actor's own grant first could deadlock two admins revoking each other.
    if (input.role === "admin") {
      assertNotLastAdmin(await lockActiveAdmins(tx, ctx.actor), input.userId, "Cannot remove the admin role");
    } else {
      await reassertRole(tx, ctx.actor, "admin");
    }
    const user = await lockUser(tx, input.userId);
    const removed = await tx
      .delete(userRoles)
      .where(and(eq(userRoles.userId, user.id), eq(userRoles.role, input.role)))
      .returning();
    if (removed.length === 0) return { changed: false };
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: "user.role_revoked",
        entityType: "user",
        entityId: user.id,
        data: { email: user.email, role: input.role },
      },
      ctx.now,
    );
    return { changed: true };
  });
}
