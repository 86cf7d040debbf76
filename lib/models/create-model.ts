import "server-only";
import { eq } from "drizzle-orm";
import { models, teams } from "@/db/schema";
import { assertRole } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { Conflict, isUniqueViolation, ValidationError } from "../errors";
import { parseInput } from "../validation";
import { inTransaction, type VerbContext } from "../verb";
import { mayManageTeamModels } from "./permissions";
import { CreateModelInput } from "./schemas";

/** Registers a model for a team. Requesters register models for their own teams. */
export async function createModel(ctx: VerbContext, raw: unknown) {
  assertRole(ctx.actor, "requester", "ml_lead", "admin");
  const input = parseInput(CreateModelInput, raw);
  const actor = ctx.actor;
  if (actor.kind === "user" && !mayManageTeamModels(actor, input.teamId)) {
    throw new ValidationError("You can register models for your own teams only.", {
      teamId: ["Choose one of your teams."],
    });
  }
  try {
    return await inTransaction(ctx, async (tx) => {
      const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, input.teamId));
      if (!team) throw new ValidationError("Unknown team.", { teamId: ["Unknown team."] });
      const ownerId = actor.kind === "user" ? actor.id : null;
      if (!ownerId) throw new ValidationError("A model needs a person as its owner.");
      const [model] = await tx
        .insert(models)
        .values({ ...input, ownerId })
        .returning();
      await recordAudit(
        tx,
        actor,
        {
          action: "model.created",
          entityType: "model",
          entityId: model!.id,
          data: { name: model!.name, teamId: model!.teamId },
        },
        ctx.now,
      );
      return model!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(`A model named "${input.name}" already exists.`);
    throw error;
  }
}
