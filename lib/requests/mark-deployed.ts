import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db";
import { changeRequests, modelVersions, type ChangeRequest } from "@/db/schema";
import { hasRole, type Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { Conflict, Forbidden } from "../errors";
import { defineVerb } from "../verb";
import { lockRequest } from "./load";
import { lockLiveSlot, makeLive } from "./live-state";
import { requestNumber } from "./schemas";
import { statusInWords } from "../labels";
import { actorName } from "../auth/actor";
import { notifyDeploymentNews } from "./notify-outcomes";
import { modelVersionName } from "../models/queries";
import { queueMlflowWriteBack } from "../mlflow/write-back";

/**
 * Records that the approved change shipped (CI/CD calls this after deploying). A deployment request
 * makes its model version THE live one for that model and environment, retiring the one live before.
 */
export const markDeployed = defineVerb({
  allow: "signed-in",
  input: z.object({ number: requestNumber }),
  // The partial unique index on what is live: only reachable if a writer skipped the model lock.
  conflict: "Another deployment to that environment landed at the same moment; nothing was saved. Try again.",
  async run({ work, tx, actor, now }, input) {
    const request = await lockRequest(tx, input.number);
    const mine = actor.kind === "user" && actor.id === request.requestedBy;
    if (!mine && !hasRole(actor, "ml_lead", "admin"))
      throw new Forbidden("Only the requester or an ML lead can mark this deployed.");
    if (request.status !== "approved")
      throw new Conflict(`CR-${request.number} is ${statusInWords(request.status)}, not approved.`);
    if (request.approvalExpiresAt && request.approvalExpiresAt <= now)
      throw new Conflict(`CR-${request.number}'s approval expired; edit and resubmit it.`);
    await tx
      .update(changeRequests)
      .set({ status: "deployed", deployedAt: now, updatedAt: now })
      .where(eq(changeRequests.id, request.id));
    const live = await goLive(tx, actor, now, request);
    await queueMlflowWriteBack(work, request, "deployed", live ? { deployedTo: request.environment } : {});
    await recordAudit(
      tx,
      actor,
      {
        action: "request.deployed",
        entityType: "change_request",
        entityId: request.id,
        data: {
          number: request.number,
          revision: request.revision,
          ...(live && { environment: request.environment, live: live.version, retired: live.retired }),
        },
      },
      now,
    );
    const label = await modelVersionName(work.tx, request.modelVersionId);
    const model = label?.slice(0, label.indexOf(" "));
    await notifyDeploymentNews(work, request, {
      what: "deployed",
      version: label,
      other: live?.retired && model ? `${model} ${live.retired}` : undefined,
      byName: actorName(actor),
    });
    return { status: "deployed" as const };
  },
});

/**
 * Only a deployment request puts a model version live (provisioning and library adoption ship no
 * model). Returns the version now live and the one it retired (null: none was live).
 */
async function goLive(tx: Tx, actor: Actor, now: Date, request: ChangeRequest) {
  if (request.kind !== "deployment" || !request.modelVersionId) return null;
  const [version] = await tx
    .select({ modelId: modelVersions.modelId, version: modelVersions.version })
    .from(modelVersions)
    .where(eq(modelVersions.id, request.modelVersionId));
  if (!version) return null;
  const current = await lockLiveSlot(tx, version.modelId, request.environment);
  let retired: string | null = null;
  if (current) {
    const [was] = await tx
      .select({ version: modelVersions.version })
      .from(modelVersions)
      .where(eq(modelVersions.id, current.modelVersionId));
    retired = was?.version ?? null;
  }
  await makeLive(tx, actor, now, {
    modelId: version.modelId,
    environment: request.environment,
    modelVersionId: request.modelVersionId,
    requestId: request.id,
    via: "deployment",
    retiring: current && { row: current, reason: "superseded", byRequestId: request.id },
  });
  return { version: version.version, retired };
}
