import "server-only";
import { eq } from "drizzle-orm";
import { mlflowModels, models, teams } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { Conflict, NotFound, ValidationError } from "../errors";
import { defineVerb } from "../verb";
import { getRegisteredModel, MlflowError } from "./client";
import { loadConnection } from "./connection";
import { greenlightModelName } from "./mapping";
import { PickModelInput } from "./schemas";

/**
 * Picks a registered model for import (admins): its versions land in the Greenlight model of that
 * name, created for the chosen team if it does not exist yet. MLflow is asked first that the model
 * exists. The admin who picks it is recorded as the author of the versions imported (a version needs
 * a person, and cannot approve what they authored).
 */
export const pickMlflowModel = defineVerb({
  allow: ["admin"],
  input: PickModelInput,
  peopleOnly: true,
  conflict: (input) =>
    new Conflict(`"${input.mlflowName}" is already picked, or its Greenlight model was just created.`),
  async prepare({ db, signal }, input) {
    const connection = await loadConnection(db);
    if (!connection) throw new NotFound("Connect an MLflow tracking server first.");
    try {
      await getRegisteredModel(connection, input.mlflowName, signal);
    } catch (error) {
      if (!(error instanceof MlflowError)) throw error;
      const message =
        error.code === "RESOURCE_DOES_NOT_EXIST"
          ? `MLflow has no registered model named "${input.mlflowName}".`
          : error.message;
      throw new ValidationError(message, { mlflowName: [message] });
    }
    return { connectionId: connection.id };
  },
  async run({ tx, actor, now }, input, { connectionId }) {
    if (actor.kind !== "user") throw new ValidationError("Only a person can pick a model.");
    const connection = await loadConnection(tx);
    if (!connection || connection.id !== connectionId)
      throw new Conflict("The MLflow connection changed meanwhile; try again.");
    const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, input.teamId));
    if (!team) throw new ValidationError("Unknown team.", { teamId: ["Choose an existing team."] });
    const name = input.name ?? greenlightModelName(input.mlflowName);
    let [model] = await tx.select().from(models).where(eq(models.name, name));
    if (model && model.teamId !== input.teamId)
      throw new ValidationError(`The Greenlight model "${name}" belongs to another team.`, {
        name: ["Give another name, or pick the team that owns it."],
      });
    if (!model) {
      [model] = await tx
        .insert(models)
        .values({ name, teamId: input.teamId, ownerId: actor.id, createdAt: now })
        .returning();
      await recordAudit(
        tx,
        actor,
        {
          action: "model.created",
          entityType: "model",
          entityId: model!.id,
          data: { name, teamId: input.teamId, from: "mlflow" },
        },
        now,
      );
    }
    const [picked] = await tx
      .insert(mlflowModels)
      .values({ connectionId, mlflowName: input.mlflowName, modelId: model!.id, pickedBy: actor.id, pickedAt: now })
      .returning();
    await recordAudit(
      tx,
      actor,
      {
        action: "mlflow.model_picked",
        entityType: "mlflow_model",
        entityId: picked!.id,
        data: { mlflowName: input.mlflowName, model: name, teamId: input.teamId },
      },
      now,
    );
    return { id: picked!.id, mlflowName: picked!.mlflowName, model: name };
  },
});
