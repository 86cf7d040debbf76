import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { changeRequests } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { Conflict, Forbidden } from "../errors";
import { parseInput } from "../validation";
import { inTransaction, type VerbContext } from "../verb";
import { lockRequest } from "./load";
import { requestNumber } from "./schemas";
import { releaseCommitment } from "../budgets/commitments";

const Input = z.object({ number: requestNumber, reason: z.string().trim().max(2000).optional() });

export async function withdrawRequest(ctx: VerbContext, raw: unknown) {
  const input = parseInput(Input, raw);
  return inTransaction(ctx, async (tx) => {
    const request = await lockRequest(tx, input.number);
    if (ctx.actor.kind !== "user" || ctx.actor.id !== request.requestedBy) throw new Forbidden("Only the requester can withdraw this request.");
    if (!["draft", "in_review", "changes_requested", "approved"].includes(request.status) || request.deployedAt) {
      throw new Conflict(`CR-${request.number} is ${request.status.replace("_", " ")} and cannot be withdrawn.`);
    }
    const now = ctx.now ?? new Date();
    await tx.update(changeRequests).set({ status: "withdrawn", decidedAt: now, updatedAt: now }).where(eq(changeRequests.id, request.id));
    await releaseCommitment(tx, request, "withdrawn", now);
    await recordAudit(tx, ctx.actor, { action: "request.withdrawn", entityType: "change_request", entityId: request.id, data: { number: request.number, reason: input.reason } }, now);
    return { status: "withdrawn" as const };
  });
}
