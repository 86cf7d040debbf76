import "server-only";
import { revokeReceipts } from "./receipts";
import { and, desc, eq, isNotNull } from "drizzle-orm";
import { z } from "zod";
import { environmentName } from "../environments/schemas";
import type { Tx } from "@/db";
import { changeRequests, modelDeployments, models, modelVersions } from "@/db/schema";
import type { ChangeRequest } from "@/db/schema/requests";
import { recordAudit } from "../audit/record";
import { environmentByName } from "../environments/queries";
import { Conflict, Forbidden, NotFound } from "../errors";
import { modelName } from "../models/schemas";
import { defineVerb } from "../verb";
import { lockLiveSlot, makeLive } from "./live-state";
import { actorName } from "../auth/actor";
import { notifyDeploymentNews } from "./notify-outcomes";
import { mayCloseDeployment } from "./permissions";
import { rollbackTarget, whyNotBack } from "./rollback-rules";
import { queueMlflowWriteBack } from "../mlflow/write-back";

export const RollBackInput = z.object({
  model: modelName,
  environment: environmentName,
  note: z
    .string({ error: "Say why you are rolling back." })
    .trim()
    .min(3, "Say why you are rolling back.")
    .max(2000, "Keep the note under 2000 characters."),
  // Which earlier version to bring back; by default the one live just before the current one.
  version: z.string().trim().min(1).max(100).optional(),
});

async function lockRequestById(tx: Tx, id: string): Promise<ChangeRequest> {
  const [request] = await tx.select().from(changeRequests).where(eq(changeRequests.id, id)).for("update");
  if (!request) throw new NotFound("The request behind that deployment is gone.");
  return request;
}

/**
 * Makes the previous live version of a model in one environment live again (or the version named,
 * if it was live there before), and closes the request that put the current one live as rolled back.
 * Gated: the version brought back must still be covered by the request that first shipped it there
 * (deployed, not revoked or itself rolled back). By the requester of what is live now, an ML lead or
 * an admin.
 */
export const rollBack = defineVerb({
  allow: "signed-in",
  input: RollBackInput,
  conflict: "Another change to that environment landed at the same moment; nothing was saved. Try again.",
  async run({ work, tx, actor, now }, input) {
    const [model] = await tx
      .select({ id: models.id, name: models.name })
      .from(models)
      .where(eq(models.name, input.model));
    if (!model) throw new NotFound("No such model.");
    await environmentByName(tx, input.environment);
    const current = await lockLiveSlot(tx, model.id, input.environment);
    if (!current)
      throw new Conflict(`Nothing of ${model.name} is live in ${input.environment}: there is nothing to roll back.`);
    const rolled = await lockRequestById(tx, current.requestId);
    if (actor.kind === "user" && !mayCloseDeployment(actor, rolled))
      throw new Forbidden("Only the requester of what is live, or an ML lead, can roll it back.");

    const history = await tx
      .select({
        deployment: modelDeployments,
        modelVersionId: modelDeployments.modelVersionId,
        retiredAt: modelDeployments.retiredAt,
        version: modelVersions.version,
      })
      .from(modelDeployments)
      .innerJoin(modelVersions, eq(modelVersions.id, modelDeployments.modelVersionId))
      .where(
        and(
          eq(modelDeployments.modelId, model.id),
          eq(modelDeployments.environment, input.environment),
          isNotNull(modelDeployments.retiredAt),
        ),
      )
      .orderBy(desc(modelDeployments.deployedAt), desc(modelDeployments.retiredAt));
    const [live] = await tx
      .select({ version: modelVersions.version })
      .from(modelVersions)
      .where(eq(modelVersions.id, current.modelVersionId));
    const liveVersion = live!.version;
    if (input.version === liveVersion)
      throw new Conflict(`${model.name} ${liveVersion} is what is live in ${input.environment} now.`);
    const target = rollbackTarget(history, current, input.version);
    if (!target)
      throw new Conflict(
        input.version
          ? `${model.name} ${input.version} was never live in ${input.environment}: only a version deployed there before can be brought back.`
          : `${model.name} had nothing else live in ${input.environment} before ${liveVersion}: there is nothing to roll back to.`,
      );
    const covering = await lockRequestById(tx, target.deployment.requestId);
    const refusal = whyNotBack(target.version, covering);
    if (refusal) throw new Conflict(`Cannot roll back to ${model.name} ${target.version}: ${refusal}`);

    await makeLive(tx, actor, now, {
      modelId: model.id,
      environment: input.environment,
      modelVersionId: target.deployment.modelVersionId,
      requestId: covering.id,
      via: "rollback",
      retiring: { row: current, reason: "rolled_back", byRequestId: covering.id },
      note: input.note,
    });
    // A revoked request stays revoked (the stronger fact); a deployed one is now rolled back.
    const status = rolled.status === "deployed" ? ("rolled_back" as const) : rolled.status;
    await tx
      .update(changeRequests)
      .set({
        status,
        outcome: "rolled_back",
        outcomeNote: input.note,
        outcomeAt: now,
        outcomeBy: actor.kind === "user" ? actor.id : null,
        updatedAt: now,
      })
      .where(eq(changeRequests.id, rolled.id));
    // What was rolled back no longer vouches for anything: its receipt is withdrawn with it.
    await revokeReceipts(tx, rolled.id, "rolled back", now);
    // MLflow users see both: the version taken down, and the environment's alias back on the old one.
    await queueMlflowWriteBack(work, rolled, status === "rolled_back" ? "rolled_back" : "revoked");
    await queueMlflowWriteBack(
      work,
      { id: covering.id, number: covering.number, modelVersionId: target.deployment.modelVersionId },
      "deployed",
      { deployedTo: input.environment },
    );
    await recordAudit(
      tx,
      actor,
      {
        action: "request.rolled_back",
        entityType: "change_request",
        entityId: rolled.id,
        data: {
          number: rolled.number,
          model: model.name,
          environment: input.environment,
          from: liveVersion,
          to: target.version,
          toRequest: covering.number,
          note: input.note,
          previousOutcome: rolled.outcome,
        },
      },
      now,
    );
    await notifyDeploymentNews(work, rolled, {
      what: "rolled_back",
      version: `${model.name} ${liveVersion}`,
      other: `${model.name} ${target.version}`,
      byName: actorName(actor),
      note: input.note,
    });
    return {
      model: model.name,
      environment: input.environment,
      live: { version: target.version, number: covering.number },
      rolledBack: { version: liveVersion, number: rolled.number, status },
    };
  },
});
