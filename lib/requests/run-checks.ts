import "server-only";
import { eq } from "drizzle-orm";
import { requestSteps, type ChangeRequest } from "@/db/schema";
import type { RequestStep } from "@/db/schema";
import type { StepCheck } from "@/db/schema/governance";
import { systemActor } from "../auth/actor";
import { metricFacts } from "../models/metric-facts";
import { recordAudit } from "../audit/record";
import { evaluateCheck, type CheckFacts } from "../policies/check-rules";
import type { UnitOfWork } from "../verb";
import { notifyPerson, requestUrl } from "./notify";
import { users } from "@/db/schema";
import { openChecks, stoppedBy } from "./state";

// Automated evaluation checks (ADR 0024): a check step is decided by its rules the moment its stage
// opens, by the system, in the transaction that opened it. A pass completes the step like an
// auto-pass; a failure stops the request by itself, with the figures as the reason.

export const CHECK_ACTOR = systemActor("evaluation check");
/** How the requester's email names who stopped the request. */
export const CHECK_DECIDER = "Greenlight's automated check";

export type CheckRun = {
  steps: RequestStep[];
  /** The check steps that failed in this run (empty when all passed or none ran). */
  failed: RequestStep[];
  /** The request's status the failures call for (null: nothing failed). */
  stoppedAs: "rejected" | "changes_requested" | null;
};

/**
 * Evaluates every check step open now, and again for each stage that their passing opens, until a
 * stage waits for people, the chain is done, or a check fails. Writes each step with its reason and
 * figures and audits it; the caller writes the request's status (stoppedAs) and tells the requester
 * (notifyCheckFailure).
 */
export async function runOpenChecks(work: UnitOfWork, request: ChangeRequest, given: RequestStep[]): Promise<CheckRun> {
  const { tx, now } = work;
  let steps = given;
  let facts: CheckFacts | null = null;
  const failed: RequestStep[] = [];
  // Each round completes at least one pending step, so this ends within the chain's length.
  for (let open = openChecks(steps, request); open.length; open = openChecks(steps, request)) {
    facts ??= await metricFacts(tx, request);
    for (const step of open) {
      const check = step.check as StepCheck;
      const outcome = evaluateCheck(check, facts);
      const status = outcome.passed ? "auto_passed" : check.onFail === "reject" ? "rejected" : "changes_requested";
      const evidence = {
        environment: facts.environment,
        version: facts.version?.label ?? null,
        live: facts.live?.label ?? null,
        results: outcome.results.map((r) => ({ passed: r.passed, text: r.text, rule: r.rule })),
      };
      const [written] = await tx
        .update(requestSteps)
        .set({ status, reason: outcome.reason, evidence, openedAt: now, completedAt: now })
        .where(eq(requestSteps.id, step.id))
        .returning();
      steps = steps.map((s) => (s.id === step.id ? written! : s));
      if (!outcome.passed) failed.push(written!);
      await recordAudit(
        tx,
        CHECK_ACTOR,
        {
          action: outcome.passed ? "request.check_passed" : "request.check_failed",
          entityType: "change_request",
          entityId: request.id,
          data: {
            number: request.number,
            revision: step.revision,
            step: step.name,
            stepId: step.id,
            onFail: check.onFail,
            reason: outcome.reason,
            evidence,
          },
        },
        now,
      );
    }
    if (failed.length) break;
  }
  return { steps, failed, stoppedAs: stoppedBy(failed.map((s) => s.check as StepCheck)) };
}

/** Tells the requester that a check stopped their request, with its figures (call after the status is written). */
export async function notifyCheckFailure(work: UnitOfWork, request: ChangeRequest, run: CheckRun) {
  if (!run.stoppedAs || !run.failed.length) return;
  const [requester] = await work.tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(eq(users.id, request.requestedBy));
  if (!requester) return;
  const props = {
    number: request.number,
    title: request.title,
    url: requestUrl(request.number),
    deciderName: CHECK_DECIDER,
    stepName: run.failed.map((s) => s.name).join(", "),
    comment: run.failed.map((s) => `${s.name}: ${s.reason}`).join("\n"),
  };
  if (run.stoppedAs === "rejected") await notifyPerson(work, requester, "request-rejected", props);
  else await notifyPerson(work, requester, "changes-requested", props);
}
