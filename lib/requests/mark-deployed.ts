import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { changeRequests } from "@/db/schema";
import { hasRole } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { Conflict, Forbidden } from "../errors";
import { defineVerb } from "../verb";
import { lockRequest } from "./load";
import { requestNumber } from "./schemas";
import { statusInWords } from "../labels";

/** Records that the approved change shipped (CI/CD calls this after deploying). */
export const markDeployed = defineVerb({
  allow: "signed-in",
  input: z.object({ number: requestNumber }),
  async run({ tx, actor, now }, input) {
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
    await recordAudit(
      tx,
      actor,
      {
        action: "request.deployed",
        entityType: "change_request",
        entityId: request.id,
        data: { number: request.number, revision: request.revision },
      },
      now,
    );
    return { status: "deployed" as const };
  },
});
