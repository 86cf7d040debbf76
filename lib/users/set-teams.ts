import "server-only";
import { eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { memberships, teams } from "@/db/schema";
import { assertRole } from "../auth/actor";
import { reassertRole } from "../auth/reassert";
import { recordAudit } from "../audit/record";
import { ValidationError } from "../errors";
import { parseInput } from "../validation";
import { inTransaction, type VerbContext } from "../verb";
import { lockUser } from "./lock";
import { userId } from "./schemas";

const Input = z.object({
  userId,
  teamIds: z.preprocess(
    (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.uuid({ error: "Unknown team." })).max(50),
  ),
});

/** Replaces the teams a user belongs to. */
export async function setUserTeams(ctx: VerbContext, raw: unknown) {
  assertRole(ctx.actor, "admin");
  const input = parseInput(Input, raw);
  const wanted = [...new Set(input.teamIds)];
  return inTransaction(ctx, async (tx) => {
    await reassertRole(tx, ctx.actor, "admin");
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
      ctx.actor,
      {
        action: "user.teams_changed",
        entityType: "user",
        entityId: user.id,
        data: { email: user.email, before, after: wanted },
      },
      ctx.now,
    );
    return { changed: true };
  });
}
