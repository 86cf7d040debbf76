import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { changeRequests, type ChangeRequest } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { Conflict, Forbidden } from "../errors";
import { defineVerb, type UnitOfWork } from "../verb";
import { getEnv } from "../env";
import { enqueueNotification } from "../notifications/enqueue";
import { currentSteps, lockRequest } from "./load";
import { holdersOf } from "../users/people";
import { isEditable } from "./permissions";
import { requestNumber } from "./schemas";
import { releaseCommitment } from "../budgets/commitments";
import { statusInWords } from "../labels";
import { revokeReceipts } from "./receipts";

/** The requester takes their request back; approvers with an open step are told. */
export const withdrawRequest = defineVerb({
  allow: "signed-in",
  input: z.object({ number: requestNumber, reason: z.string().trim().max(2000).optional() }),
  async run({ work, tx, actor, now }, input) {
    const request = await lockRequest(tx, input.number);
    if (actor.kind !== "user" || actor.id !== request.requestedBy)
      throw new Forbidden("Only the requester can withdraw this request.");
    if (!isEditable(request)) {
      throw new Conflict(`CR-${request.number} is ${statusInWords(request.status)} and cannot be withdrawn.`);
    }
    await tx
      .update(changeRequests)
      .set({ status: "withdrawn", decidedAt: now, updatedAt: now })
      .where(eq(changeRequests.id, request.id));
    await releaseCommitment(tx, request, "withdrawn", now);
    await revokeReceipts(tx, request.id, "withdrawn by the requester", now);
    await tellWaitingApprovers(work, request, input.reason);
    await recordAudit(
      tx,
      actor,
      {
        action: "request.withdrawn",
        entityType: "change_request",
        entityId: request.id,
        data: { number: request.number, reason: input.reason },
      },
      now,
    );
    return { status: "withdrawn" as const };
  },
});

/** Approvers who were asked to decide (an open step) learn that there is nothing left to decide. */
async function tellWaitingApprovers(work: UnitOfWork, request: ChangeRequest, reason: string | undefined) {
  const { tx } = work;
  if (request.status !== "in_review" && request.status !== "approved") return;
  const open = (await currentSteps(tx, request.id, request.revision)).filter(
    (s) => s.status === "pending" && s.openedAt,
  );
  const told = new Set<string>();
  for (const step of open) {
    for (const person of await holdersOf(tx, step.role, step.scope === "requester_team" ? request.teamId : undefined)) {
      if (person.id === request.requestedBy || told.has(person.id)) continue;
      told.add(person.id);
      await enqueueNotification(work, {
        to: person.email,
        userId: person.id,
        template: "request-update",
        props: {
          number: request.number,
          title: request.title,
          headline: "Withdrawn by the requester: nothing left to decide",
          body: reason ?? "",
          url: `${getEnv().appUrl}/requests/${request.number}`,
        },
      });
    }
  }
}
