import "server-only";
import { eq } from "drizzle-orm";
import { models, teams } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { ValidationError } from "../errors";
import { defineVerb } from "../verb";
import { mayManageTeamModels } from "./permissions";
import { CreateModelInput } from "./schemas";

/** Registers a model for a team. Requesters register models for their own teams. */
export const createModel = defineVerb({
  allow: ["requester", "ml_lead", "admin"],
  input: CreateModelInput,
  conflict: (input) => `A model named "${input.name}" already exists.`,
  async run({ tx, actor, now }, input) {
    if (actor.kind === "user" && !mayManageTeamModels(actor, input.teamId)) {
      throw new ValidationError("You can register models for your own teams only.", {
        teamId: ["Choose one of your teams."],
      });
    }
    const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, input.teamId));
    if (!team) throw new ValidationError("Unknown team.", { teamId: ["Unknown team."] });
    const ownerId = actor.kind === "user" ? actor.id : null;
    if (!ownerId) throw new ValidationError("A model needs a person as its owner.");
    const [model] = await tx
      .insert(models)
      .values({ ...input, ownerId, createdAt: now })
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
      now,
    );
    return model!;
  },
});
