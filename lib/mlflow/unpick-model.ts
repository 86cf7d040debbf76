import "server-only";
import { eq } from "drizzle-orm";
import { mlflowModels } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { NotFound } from "../errors";
import { defineVerb } from "../verb";
import { UnpickModelInput } from "./schemas";

/** Stops importing a model (admins). What was imported stays; picking it again resumes from scratch. */
export const unpickMlflowModel = defineVerb({
  allow: ["admin"],
  input: UnpickModelInput,
  async run({ tx, actor, now }, input) {
    const [gone] = await tx.delete(mlflowModels).where(eq(mlflowModels.id, input.id)).returning();
    if (!gone) throw new NotFound("That model is not picked (any more).");
    await recordAudit(
      tx,
      actor,
      {
        action: "mlflow.model_unpicked",
        entityType: "mlflow_model",
        entityId: gone.id,
        data: { mlflowName: gone.mlflowName },
      },
      now,
    );
    return { mlflowName: gone.mlflowName };
  },
});
