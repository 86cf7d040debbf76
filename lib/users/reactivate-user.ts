import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/db/schema";
import { assertRole } from "../auth/actor";
import { reassertRole } from "../auth/reassert";
import { recordAudit } from "../audit/record";
import { Conflict } from "../errors";
import { parseInput } from "../validation";
import { inTransaction, type VerbContext } from "../verb";
import { userId } from "./schemas";

const Input = z.object({ userId });

/** Lets a deactivated user sign in again; their roles and teams were kept. */
export async function reactivateUser(ctx: VerbContext, raw: unknown) {
  assertRole(ctx.actor, "admin");
  const input = parseInput(Input, raw);
  return inTransaction(ctx, async (tx) => {
    await reassertRole(tx, ctx.actor, "admin");
    const [user] = await tx
      .update(users)
      .set({ active: true, deactivatedAt: null })
      .where(and(eq(users.id, input.userId), eq(users.active, false)))
      .returning({ id: users.id, email: users.email });
    if (!user) throw new Conflict("This user is already active (or does not exist).");
    await recordAudit(
      tx,
      ctx.actor,
      { action: "user.reactivated", entityType: "user", entityId: user.id, data: { email: user.email } },
      ctx.now,
    );
    return user;
  });
}
