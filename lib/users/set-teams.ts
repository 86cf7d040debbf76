import "server-only";
import { eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { memberships, teams } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { ValidationError } from "../errors";
import { defineVerb } from "../verb";
import { lockUser } from "./lock";
import { userId } from "./schemas";
import { forgetCachedTokens } from "../tokens/authenticate";

/** Replaces the teams a user belongs to. */
export const setUserTeams = defineVerb({
  allow: ["admin"],
  input: z.object({
    userId,
    teamIds: z.preprocess(
      (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]),
      z.array(z.uuid({ error: "Unknown team." })).max(50),
    ),
  }),
  async run({ work, tx, actor, now }, input) {
    // Whoever this changes, their tokens answer with the new state from the next call in this process.
    work.afterCommit(forgetCachedTokens);
    const wanted = [...new Set(input.teamIds)];
    const user = await lockUser(tx, input.userId);
    if (wanted.length) {
      const known = await tx.select({ id: teams.id }).from(teams).where(inArray(teams.id, wanted));
      if (known.length !== wanted.length) throw new ValidationError("Unknown team.", { teamIds: ["Unknown team."] });
    }
    const before = (
      await tx.select({ teamId: memberships.teamId }).from(memberships).where(eq(memberships.userId, user.id))
    ).map((m) => m.teamId);
    if (before.length === wanted.length && before.every((t) => wanted.includes(t))) return { changed: false };
    await tx.delete(memberships).where(eq(memberships.userId, user.id));
    if (wanted.length) await tx.insert(memberships).values(wanted.map((teamId) => ({ userId: user.id, teamId })));
    await recordAudit(
      tx,
      actor,
      {
        action: "user.teams_changed",
        entityType: "user",
        entityId: user.id,
        data: { email: user.email, before, after: wanted },
      },
      now,
    );
    return { changed: true };
  },
});
