import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { userRoles } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { defineVerb } from "../verb";
import { assertNotLastAdmin, lockActiveAdmins, lockUser } from "./lock";
import { role, userId } from "./schemas";
import { forgetCachedTokens } from "../tokens/authenticate";

/** Takes a role away. The last active admin cannot lose the admin role. */
export const revokeRole = defineVerb({
  allow: ["admin"],
  input: z.object({ userId, role }),
  async run({ work, tx, actor, now }, input) {
    // Whoever this changes, their tokens answer with the new state from the next call in this process.
    work.afterCommit(forgetCachedTokens);
    // Taking the admin role away locks every admin grant, so two admins removing each other at once
    // cannot leave nobody in charge.
    if (input.role === "admin") {
      assertNotLastAdmin(await lockActiveAdmins(tx, actor), input.userId, "Cannot remove the admin role");
    }
    const user = await lockUser(tx, input.userId);
    const removed = await tx
      .delete(userRoles)
      .where(and(eq(userRoles.userId, user.id), eq(userRoles.role, input.role)))
      .returning();
    if (removed.length === 0) return { changed: false, role: input.role };
    await recordAudit(
      tx,
      actor,
      {
        action: "user.role_revoked",
        entityType: "user",
        entityId: user.id,
        data: { email: user.email, role: input.role },
      },
      now,
    );
    return { changed: true, role: input.role };
  },
});
