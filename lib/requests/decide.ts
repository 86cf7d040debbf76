import "server-only";
import { eq } from "drizzle-orm";
import { changeRequests, decisions, requestSteps, type RequestStep } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { Conflict, Forbidden } from "../errors";
import { getEnv } from "../env";
import { decisionContext, resolveIn } from "./eligibility";
import { lockRequest } from "./load";
import { notifyApprovers, notifyRequesterOfDecision } from "./notify";
import { DecideInput } from "./schemas";
import { defineVerb } from "../verb";
import { applyDecision, isEmergency, openStage } from "./state";
import { notifyCheckFailure, runOpenChecks } from "./run-checks";
import { commitOnApproval, releaseCommitment } from "../budgets/commitments";
import { statusInWords } from "../labels";
import { owesRetro } from "./retro";
import { issueReceipt, revokeReceipts } from "./receipts";
import { manifestBlocking } from "../security/manifest-review";
import { describeBlocking } from "../security/blocking";
import { queueMlflowWriteBack } from "../mlflow/write-back";

const RETRO_HOURS = 48;

/**
 * Approve, reject or request changes on a request. The request row is locked, so concurrent
 * decisions take turns: a step completes exactly once, and a lost race is a 409. Under that lock the
 * rules (lib/requests/resolve-step.ts) see every decision already counted on this revision: one
 * person, one seat, whether they decide as themselves or for anyone who delegated to them.
 */
export const decide = defineVerb({
  allow: "signed-in",
  peopleOnly: true,
  input: DecideInput,
  conflict: "You have already decided on this revision of the request.",
  async run({ work, tx, actor, now }, input) {
    if (actor.kind !== "user") throw new Forbidden("Decisions are made by people.");
    const request = await lockRequest(tx, input.number);
    const context = await decisionContext(tx, request, actor.id, now, { lock: true });
    const { steps, facts } = context;
    const retro = owesRetro(request.status, steps);
    if (request.status !== "in_review" && !retro) {
      throw new Conflict(`CR-${request.number} is ${statusInWords(request.status)}: there is nothing to decide.`);
    }
    const me = context.me;
    if (!me) throw new Forbidden("Your account is not active.");
    const resolution = resolveIn(context, input.stepId)!;
    if (!resolution.ok)
      throw resolution.status === 403 ? new Forbidden(resolution.reason) : new Conflict(resolution.reason);

    // Rejected means blocked: checked under the request's lock, which decidePackage takes too, so a
    // package rejected concurrently is either seen here or decided after this approval commits.
    const blocking =
      input.decision === "approve" && resolution.step.role === "security"
        ? await manifestBlocking(tx, request, now)
        : [];
    if (blocking.length && !input.override)
      throw new Conflict(
        `CR-${request.number}'s security step cannot be approved: ${describeBlocking(blocking)}. Decide those packages, or override with a reason.`,
      );
    // A delegate may approve for a security person, but overriding the security team's own
    // rejections is theirs alone: the person clicking must hold the role. An override with nothing
    // to override (the packages were decided meanwhile) is a plain approval and is not recorded.
    if (blocking.length && !me.roles.includes("security"))
      throw new Forbidden("Only a person with the security role may override blocking packages.");
    const overrideReason = blocking.length ? (input.override?.reason ?? null) : null;
    const overridden = overrideReason ? blocking : [];
    const comment = overrideReason
      ? [input.comment, `Security override: ${overrideReason}`].filter(Boolean).join("\n\n")
      : (input.comment ?? null);

    await tx.insert(decisions).values({
      requestId: request.id,
      stepId: resolution.step.id,
      revision: request.revision,
      actorId: actor.id,
      principalId: resolution.principal.id,
      onBehalfOf: resolution.onBehalfOf,
      decision: input.decision,
      comment,
      createdAt: now,
    });
    const outcome = applyDecision(steps, resolution.step.id, input.decision, { ...facts, status: request.status });
    const decided = outcome.steps.find((s) => s.id === resolution.step.id)!;
    await tx
      .update(requestSteps)
      .set({
        approvals: decided.approvals,
        status: decided.status,
        completedAt: decided.status === "pending" ? null : now,
      })
      .where(eq(requestSteps.id, decided.id));
    // A stage that opens may begin with checks (ADR 0024): they are decided now, and their passing
    // may open the next stage, or complete the chain; their failing stops the request.
    let status = outcome.status;
    let opened: RequestStep[] = outcome.openedStage
      ? steps.filter((s) => s.stage === outcome.openedStage && s.status === "pending")
      : [];
    const checked = outcome.openedStage
      ? await runOpenChecks(
          work,
          request,
          steps.map((s) => (s.id === decided.id ? { ...s, status: decided.status, approvals: decided.approvals } : s)),
        )
      : null;
    if (checked) {
      const next = openStage(checked.steps);
      opened = checked.stoppedAs
        ? []
        : checked.steps.filter((s) => s.status === "pending" && s.stage === next && !s.check);
      status = checked.stoppedAs ?? (next === null ? "approved" : "in_review");
    }
    for (const s of opened) await tx.update(requestSteps).set({ openedAt: now }).where(eq(requestSteps.id, s.id));
    const remaining = (checked?.steps ?? outcome.steps).filter((s) => s.status === "pending");

    const finished = status !== request.status || (retro && remaining.length === 0);
    const approvedNow = status === "approved" && request.status !== "approved";
    const [updated] = await tx
      .update(changeRequests)
      .set({
        status,
        updatedAt: now,
        decidedAt: finished ? now : request.decidedAt,
        approvalExpiresAt: approvedNow
          ? new Date(now.getTime() + getEnv().approvalExpiryDays * 86_400_000)
          : request.approvalExpiresAt,
        retroDueAt: outcome.gateOpenedEarly
          ? new Date(now.getTime() + RETRO_HOURS * 3_600_000)
          : remaining.length === 0
            ? null
            : request.retroDueAt,
        revokedAt: status === "revoked" ? now : request.revokedAt,
      })
      .where(eq(changeRequests.id, request.id))
      .returning();
    if (approvedNow) {
      await commitOnApproval(tx, { ...request, status: "approved" }, now);
      await issueReceipt(tx, updated!, now);
      await queueMlflowWriteBack(work, request, "approved");
    }
    if (status === "revoked") {
      await revokeReceipts(tx, request.id, "rejected in retro-approval", now);
      await queueMlflowWriteBack(work, request, "revoked");
    }
    if (status === "rejected" || status === "changes_requested" || status === "revoked") {
      await releaseCommitment(tx, request, statusInWords(status), now);
    }

    await recordAudit(
      tx,
      actor,
      {
        action: "request.decided",
        entityType: "change_request",
        entityId: request.id,
        data: {
          number: request.number,
          revision: request.revision,
          step: decided.name,
          decision: input.decision,
          comment: input.comment,
          onBehalfOf: resolution.onBehalfOf,
          stepStatus: decided.status,
          previousStatus: request.status,
          requestStatus: status,
          ...(overridden.length ? { override: true } : {}),
        },
      },
      now,
    );
    if (overridden.length)
      await recordAudit(
        tx,
        actor,
        {
          action: "request.security_override",
          entityType: "change_request",
          entityId: request.id,
          data: {
            number: request.number,
            revision: request.revision,
            step: decided.name,
            reason: overrideReason,
            onBehalfOf: resolution.onBehalfOf,
            packages: overridden.map((b) => ({ name: b.name, version: b.version, why: b.why, ids: b.ids })),
          },
        },
        now,
      );

    const principal = resolution.onBehalfOf ? resolution.principal : null;
    // Stopped by a check after this approval: the requester hears what the check found, not that
    // the approver rejected it.
    if (checked?.stoppedAs) await notifyCheckFailure(work, updated!, checked);
    else
      await notifyRequesterOfDecision(work, request, {
        deciderName: me.name ?? me.email,
        onBehalfOf: principal ? (principal.name ?? principal.email) : undefined,
        decision: input.decision,
        step: decided,
        remaining: remaining.map((s) => s.name),
        comment: input.comment,
      });
    if (opened.length) await notifyApprovers(work, request, opened, { kind: "stage_opened", after: decided.name }, now);
    return {
      status,
      step: {
        id: decided.id,
        name: decided.name,
        status: decided.status,
        approvals: decided.approvals,
        quorum: decided.quorum,
      },
      onBehalfOf: resolution.onBehalfOf,
      emergency: isEmergency(facts),
      overridden: overridden.map((b) => b.name),
    };
  },
});
