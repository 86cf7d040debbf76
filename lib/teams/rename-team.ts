import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { teams } from "@/db/schema";
import { assertRole } from "../auth/actor";
import { reassertRole } from "../auth/reassert";
import { recordAudit } from "../audit/record";
import { Conflict, isUniqueViolation, NotFound } from "../errors";
import { parseInput } from "../validation";
import { inTransaction, type VerbContext } from "../verb";
import { teamName } from "./schemas";

const Input = z.object({ teamId: z.uuid({ error: "Unknown team." }), name: teamName });

export async function renameTeam(ctx: VerbContext, raw: unknown) {
  assertRole(ctx.actor, "admin");
  const input = parseInput(Input, raw);
  try {
    return await inTransaction(ctx, async (tx) => {
      await reassertRole(tx, ctx.actor, "admin");
      const [before] = await tx.select().from(teams).where(eq(teams.id, input.teamId)).for("update");
      if (!before) throw new NotFound("No such team.");
      if (before.name === input.name) return { ...before, changed: false };
      await tx.update(teams).set({ name: input.name }).where(eq(teams.id, before.id));
      await recordAudit(
        tx,
        ctx.actor,
        {
          action: "team.renamed",
          entityType: "team",
          entityId: before.id,
          data: { before: before.name, after: input.name },
        },
        ctx.now,
      );
      return { id: before.id, name: input.name, changed: true };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(`A team named "${input.name}" already exists.`);
    throw error;
  }
}
