import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/db/schema";
import { assertRole } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { Conflict } from "../errors";
import { parseInput } from "../validation";
import { inTransaction, type VerbContext } from "../verb";
import { assertNotLastAdmin, lockActiveAdmins } from "./lock";
import { userId } from "./schemas";

const Input = z.object({ userId });

/** Deactivates a user: they can no longer sign in, and their open sessions stop working at once. */
export async function deactivateUser(ctx: VerbContext, raw: unknown) {
  assertRole(ctx.actor, "admin");
  const input = parseInput(Input, raw);
  if (ctx.actor.kind === "user" && ctx.actor.id === input.userId) {
    throw new Conflict("You cannot deactivate yourself.");
  }
  return inTransaction(ctx, async (tx) => {
    assertNotLastAdmin(await lockActiveAdmins(tx, ctx.actor), input.userId, "Cannot deactivate this user");
    const now = ctx.now ?? new Date();
    const [user] = await tx
      .update(users)
      .set({ active: false, deactivatedAt: now })
      .where(and(eq(users.id, input.userId), eq(users.active, true)))
      .returning({ id: users.id, email: users.email });
    if (!user) throw new Conflict("This user is already deactivated (or does not exist).");
    await recordAudit(
      tx,
      ctx.actor,
      { action: "user.deactivated", entityType: "user", entityId: user.id, data: { email: user.email } },
      now,
    );
    return user;
  });
}
