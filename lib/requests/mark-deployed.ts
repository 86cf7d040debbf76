import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { changeRequests } from "@/db/schema";
import { hasRole } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { Conflict, Forbidden } from "../errors";
import { parseInput } from "../validation";
import { inTransaction, type VerbContext } from "../verb";
import { lockRequest } from "./load";
import { requestNumber } from "./schemas";

const Input = z.object({ number: requestNumber });

/** Records that the approved change shipped (CI/CD calls this after deploying). */
export async function markDeployed(ctx: VerbContext, raw: unknown) {
  const input = parseInput(Input, raw);
  return inTransaction(ctx, async (tx) => {
    const request = await lockRequest(tx, input.number);
    const mine = ctx.actor.kind === "user" && ctx.actor.id === request.requestedBy;
    if (!mine && !hasRole(ctx.actor, "ml_lead", "admin"))
      throw new Forbidden("Only the requester or an ML lead can mark this deployed.");
    const now = ctx.now ?? new Date();
    if (request.status !== "approved")
      throw new Conflict(`CR-${request.number} is ${request.status.replace("_", " ")}, not approved.`);
    if (request.approvalExpiresAt && request.approvalExpiresAt <= now)
      throw new Conflict(`CR-${request.number}'s approval expired; edit and resubmit it.`);
    await tx
      .update(changeRequests)
      .set({ status: "deployed", deployedAt: now, updatedAt: now })
      .where(eq(changeRequests.id, request.id));
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: "request.deployed",
        entityType: "change_request",
        entityId: request.id,
        data: { number: request.number, revision: request.revision },
      },
      now,
    );
    return { status: "deployed" as const };
  });
}
