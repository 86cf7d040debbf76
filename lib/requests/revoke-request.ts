import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { changeRequests, users } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { Conflict } from "../errors";
import { defineVerb } from "../verb";
import { lockRequest } from "./load";
import { notifyPerson, requestUrl } from "./notify";
import { requestNumber } from "./schemas";
import { releaseCommitment } from "../budgets/commitments";
import { statusInWords } from "../labels";
import { revokeReceipts } from "./receipts";
import { queueMlflowWriteBack } from "../mlflow/write-back";

/** Withdraws an approval after the fact (a problem found late): the gate closes at once. */
export const revokeRequest = defineVerb({
  allow: ["ml_lead", "security", "admin"],
  input: z.object({
    number: requestNumber,
    reason: z.string({ error: "Say why." }).trim().min(3, "Say why the approval is revoked.").max(2000),
  }),
  async run({ work, tx, actor, now }, input) {
    const request = await lockRequest(tx, input.number);
    if (request.status !== "approved" && request.status !== "deployed") {
      throw new Conflict(
        `CR-${request.number} is ${statusInWords(request.status)}: only an approved or deployed request can be revoked.`,
      );
    }
    await tx
      .update(changeRequests)
      .set({ status: "revoked", revokedAt: now, updatedAt: now })
      .where(eq(changeRequests.id, request.id));
    await releaseCommitment(tx, request, "revoked", now);
    await revokeReceipts(tx, request.id, `approval revoked: ${input.reason}`, now);
    await queueMlflowWriteBack(work, request, "revoked");
    await recordAudit(
      tx,
      actor,
      {
        action: "request.revoked",
        entityType: "change_request",
        entityId: request.id,
        data: { number: request.number, reason: input.reason },
      },
      now,
    );
    const [requester] = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(eq(users.id, request.requestedBy));
    const revokedBy = actor.kind === "user" ? (actor.name ?? actor.email) : `Greenlight (${actor.label})`;
    if (requester)
      await notifyPerson(work, requester, "request-revoked", {
        number: request.number,
        title: request.title,
        revokedBy,
        reason: input.reason,
        url: requestUrl(request.number),
      });
    return { status: "revoked" as const };
  },
});
