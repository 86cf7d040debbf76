import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { Conflict } from "../errors";
import { defineVerb } from "../verb";
import { userId } from "./schemas";

/** Lets a deactivated user sign in again; their roles and teams were kept. */
export const reactivateUser = defineVerb({
  allow: ["admin"],
  input: z.object({ userId }),
  async run({ tx, actor, now }, input) {
    const [user] = await tx
      .update(users)
      .set({ active: true, deactivatedAt: null })
      .where(and(eq(users.id, input.userId), eq(users.active, false)))
      .returning({ id: users.id, email: users.email });
    if (!user) throw new Conflict("This user is already active (or does not exist).");
    await recordAudit(
      tx,
      actor,
      { action: "user.reactivated", entityType: "user", entityId: user.id, data: { email: user.email } },
      now,
    );
    return user;
  },
});
