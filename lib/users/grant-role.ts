import "server-only";
import { z } from "zod";
import { userRoles } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { defineVerb } from "../verb";
import { lockUser } from "./lock";
import { role, userId } from "./schemas";
import { forgetCachedTokens } from "../tokens/authenticate";

/** Gives a user a role. Granting a role they already hold changes nothing and records nothing. */
export const grantRole = defineVerb({
  allow: ["admin"],
  input: z.object({ userId, role }),
  async run({ work, tx, actor, now }, input) {
    // Whoever this changes, their tokens answer with the new state from the next call in this process.
    work.afterCommit(forgetCachedTokens);
    const user = await lockUser(tx, input.userId);
    const added = await tx.insert(userRoles).values(input).onConflictDoNothing().returning();
    if (added.length === 0) return { changed: false };
    await recordAudit(
      tx,
      actor,
      {
        action: "user.role_granted",
        entityType: "user",
        entityId: user.id,
        data: { email: user.email, role: input.role },
      },
      now,
    );
    return { changed: true };
  },
});
