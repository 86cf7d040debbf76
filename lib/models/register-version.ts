import "server-only";
import { eq } from "drizzle-orm";
import { models, modelVersions } from "@/db/schema";
import { assertRole } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { isUniqueViolation, NotFound, ValidationError } from "../errors";
import { parseInput } from "../validation";
import { inTransaction, type VerbContext } from "../verb";
import { mayManageTeamModels } from "./permissions";
import { RegisterVersionInput } from "./schemas";

/** Records an immutable model version: what was trained, on what, and how well it did. */
export async function registerVersion(ctx: VerbContext, raw: unknown) {
  assertRole(ctx.actor, "requester", "ml_lead", "admin");
  const input = parseInput(RegisterVersionInput, raw);
  const actor = ctx.actor;
  if (actor.kind !== "user") throw new ValidationError("A version needs a person as its author.");
  try {
    return await inTransaction(ctx, async (tx) => {
      const [model] = await tx.select().from(models).where(eq(models.name, input.model));
      if (!model) throw new NotFound(`No model named "${input.model}".`);
      if (!mayManageTeamModels(actor, model.teamId)) {
        throw new ValidationError("This model belongs to another team.", {
          model: ["You can add versions to your own team's models only."],
        });
      }
      const { model: _name, ...fields } = input;
      const [version] = await tx
        .insert(modelVersions)
        .values({ ...fields, gitCommit: fields.gitCommit ?? null, modelId: model.id, createdBy: actor.id })
        .returning();
      await recordAudit(
        tx,
        actor,
        {
          action: "model.version_registered",
          entityType: "model_version",
          entityId: version!.id,
          data: { model: model.name, version: version!.version },
        },
        ctx.now,
      );
      return { ...version!, model: model.name };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ValidationError(`Version ${input.version} already exists.`, {
        version: [`${input.model} already has a version ${input.version}; versions are immutable, pick a new label.`],
      });
    }
    throw error;
  }
}
