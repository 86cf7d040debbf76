import "server-only";
import { z } from "zod";
import { userRoles } from "@/db/schema";
import { assertRole } from "../auth/actor";
import { reassertRole } from "../auth/reassert";
import { recordAudit } from "../audit/record";
import { parseInput } from "../validation";
import { inTransaction, type VerbContext } from "../verb";
import { lockUser } from "./lock";
import { role, userId } from "./schemas";

const Input = z.object({ userId, role });

/** Gives a user a role. Granting a role they already hold changes nothing and records nothing. */
export async function grantRole(ctx: VerbContext, raw: unknown) {
  assertRole(ctx.actor, "admin");
  const input = parseInput(Input, raw);
  return inTransaction(ctx, async (tx) => {
    await reassertRole(tx, ctx.actor, "admin");
    const user = await lockUser(tx, input.userId);
    const added = await tx.insert(userRoles).values(input).onConflictDoNothing().returning();
    if (added.length === 0) return { changed: false };
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: "user.role_granted",
        entityType: "user",
        entityId: user.id,
        data: { email: user.email, role: input.role },
      },
      ctx.now,
    );
    return { changed: true };
  });
}
