import "server-only";
import { z } from "zod";
import { teams } from "@/db/schema";
import { assertRole } from "../auth/actor";
import { reassertRole } from "../auth/reassert";
import { recordAudit } from "../audit/record";
import { Conflict, isUniqueViolation } from "../errors";
import { parseInput } from "../validation";
import { inTransaction, type VerbContext } from "../verb";
import { teamName } from "./schemas";

const Input = z.object({ name: teamName });

export async function createTeam(ctx: VerbContext, raw: unknown) {
  assertRole(ctx.actor, "admin");
  const input = parseInput(Input, raw);
  try {
    return await inTransaction(ctx, async (tx) => {
      await reassertRole(tx, ctx.actor, "admin");
      const [team] = await tx.insert(teams).values({ name: input.name }).returning({ id: teams.id, name: teams.name });
      await recordAudit(
        tx,
        ctx.actor,
        { action: "team.created", entityType: "team", entityId: team!.id, data: { name: team!.name } },
        ctx.now,
      );
      return team!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(`A team named "${input.name}" already exists.`);
    throw error;
  }
}
