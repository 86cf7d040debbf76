import "server-only";
import { z } from "zod";
import { recordAudit } from "../audit/record";
import { Conflict, Forbidden } from "../errors";
import { defineVerb } from "../verb";
import { lockRequest } from "./load";
import { notifyApprovers } from "./notify";
import { notifyApprovedAtSubmission } from "./notify-outcomes";
import { requestNumber } from "./schemas";
import { snapshotChain } from "./snapshot";
import { statusInWords } from "../labels";
import { queueMlflowWriteBack } from "../mlflow/write-back";

/** Sends a draft for review: the chain is snapshotted now and the first stage's approvers are told. */
export const submitRequest = defineVerb({
  allow: "signed-in",
  input: z.object({ number: requestNumber }),
  async run({ work, tx, actor, now }, input) {
    const request = await lockRequest(tx, input.number);
    if (actor.kind !== "user" || actor.id !== request.requestedBy)
      throw new Forbidden("Only the requester can submit this request.");
    if (request.status !== "draft")
      throw new Conflict(`CR-${request.number} is ${statusInWords(request.status)}, not a draft.`);
    const result = await snapshotChain(work, request, request.revision, now);
    const passed = result.steps.filter((s) => s.status === "auto_passed");
    await notifyApprovers(work, result.request, result.opened, { kind: "submitted", passed }, now);
    // Nobody decides a request every step of which passed by itself: its requester must still hear.
    if (result.request.status === "approved") await notifyApprovedAtSubmission(work, request, passed);
    // Every step passed at submission: approved at once, and MLflow is told so.
    if (result.request.status === "approved") await queueMlflowWriteBack(work, request, "approved");
    await recordAudit(
      tx,
      actor,
      {
        action: result.request.status === "approved" ? "request.approved" : "request.submitted",
        entityType: "change_request",
        entityId: request.id,
        data: {
          number: request.number,
          revision: request.revision,
          chain: result.steps.map((s) => ({
            stage: s.stage,
            role: s.role,
            scope: s.scope,
            quorum: s.quorum,
            status: s.status,
          })),
        },
      },
      now,
    );
    return result;
  },
});
