import "server-only";
import { z } from "zod";
import { recordAudit } from "../audit/record";
import { Conflict, Forbidden } from "../errors";
import { parseInput } from "../validation";
import { inTransaction, type VerbContext } from "../verb";
import { lockRequest } from "./load";
import { notifyApprovers } from "./notify";
import { requestNumber } from "./schemas";
import { snapshotChain } from "./snapshot";

const Input = z.object({ number: requestNumber });

/** Sends a draft for review: the chain is snapshotted now and the first stage's approvers are told. */
export async function submitRequest(ctx: VerbContext, raw: unknown) {
  const input = parseInput(Input, raw);
  return inTransaction(ctx, async (tx) => {
    const request = await lockRequest(tx, input.number);
    if (ctx.actor.kind !== "user" || ctx.actor.id !== request.requestedBy)
      throw new Forbidden("Only the requester can submit this request.");
    if (request.status !== "draft")
      throw new Conflict(`CR-${request.number} is ${request.status.replace("_", " ")}, not a draft.`);
    const now = ctx.now ?? new Date();
    const result = await snapshotChain(tx, request, request.revision, now);
    await notifyApprovers(tx, result.request, result.opened, { kind: "submitted" }, now);
    await recordAudit(
      tx,
      ctx.actor,
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
  });
}
