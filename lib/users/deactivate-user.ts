import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { Conflict } from "../errors";
import { defineVerb } from "../verb";
import { assertNotLastAdmin, lockActiveAdmins } from "./lock";
import { userId } from "./schemas";
import { forgetCachedTokens } from "../tokens/authenticate";

/** Deactivates a user: they can no longer sign in, and their open sessions stop working at once. */
export const deactivateUser = defineVerb({
  allow: ["admin"],
  input: z.object({ userId }),
  async run({ work, tx, actor, now }, input) {
    // Whoever this changes, their tokens answer with the new state from the next call in this process.
    work.afterCommit(forgetCachedTokens);
    if (actor.kind === "user" && actor.id === input.userId) throw new Conflict("You cannot deactivate yourself.");
    assertNotLastAdmin(await lockActiveAdmins(tx, actor), input.userId, "Cannot deactivate this user");
    const [user] = await tx
      .update(users)
      .set({ active: false, deactivatedAt: now })
      .where(and(eq(users.id, input.userId), eq(users.active, true)))
      .returning({ id: users.id, email: users.email });
    if (!user) throw new Conflict("This user is already deactivated (or does not exist).");
    await recordAudit(
      tx,
      actor,
      { action: "user.deactivated", entityType: "user", entityId: user.id, data: { email: user.email } },
      now,
    );
    return user;
  },
});
