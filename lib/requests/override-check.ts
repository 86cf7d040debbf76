import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { changeRequests, decisions, requestSteps, type RequestStep } from "@/db/schema";
import type { StepCheck } from "@/db/schema/governance";
import { recordAudit } from "../audit/record";
import { commitOnApproval } from "../budgets/commitments";
import { getEnv } from "../env";
import { Conflict, Forbidden, NotFound } from "../errors";
import { statusInWords } from "../labels";
import { queueMlflowWriteBack } from "../mlflow/write-back";
import { storable } from "../validation";
import { defineVerb } from "../verb";
import { decisionContext } from "./eligibility";
import { lockRequest } from "./load";
import { notifyApprovers, notifyPerson, requestUrl } from "./notify";
import { issueReceipt } from "./receipts";
import { isStoppingCheck, overrideRefusal } from "./resolve-step";
import { notifyCheckFailure, runOpenChecks } from "./run-checks";
import { requestNumber } from "./schemas";
import { stepIsOpen, stoppedBy } from "./state";
import { users } from "@/db/schema";

export const OverrideCheckInput = z.object({
  number: requestNumber,
  stepId: z.uuid({ error: "Unknown check step." }),
  reason: z
    .string({ error: "Give the reason for the override." })
    .trim()
    .min(10, "Say why you override the check (at least 10 characters).")
    .max(1000, "At most 1000 characters.")
    .superRefine(storable),
});

const FAILED = ["rejected", "changes_requested"] as const;

/**
 * Overrides a failed check (ADR 0024): a person who holds the check step's role (in its scope, never
 * the requester, the version's author or anyone its conflicts name) passes it with a reason, which
 * is recorded as their decision (their seat on this revision) and audited with the check's figures.
 * The request resumes where the check stopped it, even from "rejected": the check, not a person, closed
 * it, and the policy named who may overrule it. Only while the request is still stopped by it: once
 * the requester has edited it, the next revision's checks decide afresh. Under the request's row
 * lock, so of two overrides at once exactly one passes the step; the other finds nothing failed (409).
 */
export const overrideCheck = defineVerb({
  allow: "signed-in",
  peopleOnly: true,
  input: OverrideCheckInput,
  conflict: "You have already decided on this revision of the request.",
  async run({ work, tx, actor, now }, input) {
    if (actor.kind !== "user") throw new Forbidden("Checks are overridden by people.");
    const request = await lockRequest(tx, input.number);
    const context = await decisionContext(tx, request, actor.id, now, { lock: true });
    const step = context.steps.find((s) => s.id === input.stepId);
    if (!step?.check) throw new NotFound(`CR-${request.number} has no such check on its current revision.`);
    const me = context.me;
    if (!me) throw new Forbidden("Your account is not active.");
    const refusal = overrideRefusal(step, me, context.facts);
    if (refusal) throw new Forbidden(refusal);
    if (!isStoppingCheck(step, request.status))
      throw new Conflict(
        `${step.name} on CR-${request.number} has not stopped the request (the request is ${statusInWords(request.status)}): there is nothing to override.`,
      );

    const name = me.name ?? me.email;
    await tx.insert(decisions).values({
      requestId: request.id,
      stepId: step.id,
      revision: request.revision,
      actorId: actor.id,
      principalId: actor.id,
      decision: "approve",
      comment: `Check override: ${input.reason}`,
      createdAt: now,
    });
    const evidence = { ...(step.evidence ?? {}), override: { by: actor.id, name, reason: input.reason } };
    const [passed] = await tx
      .update(requestSteps)
      .set({
        status: "approved",
        approvals: 1,
        reason: `Overridden by ${name}: ${input.reason}`,
        evidence,
        completedAt: now,
      })
      .where(and(eq(requestSteps.id, step.id), inArray(requestSteps.status, [...FAILED])))
      .returning();
    if (!passed) throw new Conflict(`${step.name} was overridden at the same moment.`);

    // Another check of the same run may still hold the request; else it resumes, and checks of any
    // stage that opens now are decided at once.
    let steps: RequestStep[] = context.steps.map((s) => (s.id === passed.id ? passed : s));
    const stillFailed = steps.filter((s) => s.check && (FAILED as readonly string[]).includes(s.status));
    const held = stoppedBy(stillFailed.map((s) => s.check as StepCheck));
    let status: NonNullable<typeof held> | "in_review" | "approved";
    let run = null;
    if (held) status = held;
    else {
      run = await runOpenChecks(work, request, steps);
      steps = run.steps;
      status = run.stoppedAs ?? (steps.some((s) => s.status === "pending") ? "in_review" : "approved");
    }
    const opened =
      status === "in_review" ? steps.filter((s) => !s.check && !s.openedAt && stepIsOpen(steps, s, context.facts)) : [];
    for (const s of opened) await tx.update(requestSteps).set({ openedAt: now }).where(eq(requestSteps.id, s.id));
    const approved = status === "approved";
    const [updated] = await tx
      .update(changeRequests)
      .set({
        status,
        updatedAt: now,
        decidedAt: status === "in_review" ? null : now,
        approvalExpiresAt: approved ? new Date(now.getTime() + getEnv().approvalExpiryDays * 86_400_000) : null,
      })
      .where(eq(changeRequests.id, request.id))
      .returning();
    if (approved) {
      await commitOnApproval(tx, updated!, now);
      await issueReceipt(tx, updated!, now);
      await queueMlflowWriteBack(work, request, "approved");
    }

    await recordAudit(
      tx,
      actor,
      {
        action: "request.check_overridden",
        entityType: "change_request",
        entityId: request.id,
        data: {
          number: request.number,
          revision: request.revision,
          step: step.name,
          stepId: step.id,
          reason: input.reason,
          failure: step.reason,
          evidence: step.evidence,
          previousStatus: request.status,
          requestStatus: status,
        },
      },
      now,
    );

    if (run?.stoppedAs) await notifyCheckFailure(work, updated!, run);
    else await tellRequester(work, updated!, { name, step: passed, steps, reason: input.reason });
    if (opened.length) await notifyApprovers(work, updated!, opened, { kind: "stage_opened", after: step.name }, now);
    return { status, step: { id: passed.id, name: passed.name, status: passed.status }, overriddenBy: name };
  },
});

async function tellRequester(
  work: Parameters<typeof notifyPerson>[0],
  request: typeof changeRequests.$inferSelect,
  o: { name: string; step: RequestStep; steps: RequestStep[]; reason: string },
) {
  const [requester] = await work.tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(eq(users.id, request.requestedBy));
  if (!requester) return;
  const about = { number: request.number, title: request.title, url: requestUrl(request.number) };
  const comment = `Check override: ${o.reason}`;
  if (request.status === "approved")
    return notifyPerson(work, requester, "request-approved", {
      ...about,
      deciderName: o.name,
      stepName: o.step.name,
      comment,
      expiresAt: request.approvalExpiresAt?.toISOString(),
    });
  return notifyPerson(work, requester, "decision-made", {
    ...about,
    deciderName: o.name,
    stepName: o.step.name,
    decision: "approve",
    approvals: 1,
    quorum: 1,
    remaining: o.steps.filter((s) => s.status === "pending").map((s) => s.name),
    comment,
  });
}
