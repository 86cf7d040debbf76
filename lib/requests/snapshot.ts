import "server-only";
import { eq, inArray } from "drizzle-orm";
import type { UnitOfWork } from "../verb";
import { approvalPolicies, changeRequests, requestSteps, type ChangeRequest } from "@/db/schema";
import { isEmergency, openStage } from "./state";
import { systemActor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { commitOnApproval, holdCommitment, releaseCommitment } from "../budgets/commitments";
import { currentBudget, positionOf } from "../budgets/position";
import { getEnv } from "../env";
import { ruleFor } from "../policies/auto-pass";
import { evaluateAutoPass, type AutoPassContext } from "./auto-pass";
import { buildChain } from "../policies/chain";
import { dependencyCoverage, markEntriesUsed } from "../security/manifest-review";
import { Conflict } from "../errors";
import { assessRiskAndFacts } from "./assess-risk";
import { dependencySignals } from "../security/risk-facts";
import { requestShortfalls, shortfallMessage } from "./chain-capacity";
import { assertPromotionOrder } from "../environments/promotion";
import { assertDeployableArtifact, issueReceipt, revokeReceipts } from "./receipts";
import { notifyCheckFailure, runOpenChecks } from "./run-checks";
import { changesSinceTraining } from "../datasets/affected";

/**
 * Takes the chain snapshot for a request revision from the policies in force now, passes the steps
 * whose auto-pass rule holds (recording why, with the figures), and puts the request in review, or
 * approves it when nothing is left to ask. The effective risk is worked out first, so policies match
 * on what the facts say. A chain whose remaining steps could never complete with the people the
 * organisation has is refused (409, naming the steps): better told now than stranded in review.
 */
export async function snapshotChain(work: UnitOfWork, current: ChangeRequest, revision: number, now: Date) {
  const { tx } = work;
  await assertPromotionOrder(tx, current);
  await assertDeployableArtifact(tx, current);
  const { request, dependencies } = await assessRiskAndFacts(tx, current, now);
  // An earlier revision's approval no longer stands, and neither does its receipt.
  await revokeReceipts(tx, request.id, `approvals reset by revision ${revision}`, now);
  // An earlier revision's budget commitment no longer stands: this revision is judged afresh.
  await releaseCommitment(tx, request, `revision ${revision} submitted`, now);
  const policies = await tx.select().from(approvalPolicies).where(eq(approvalPolicies.active, true));
  // Only asked when some policy names it: most installations never read the dictionary here.
  const usesChangedColumn =
    request.modelVersionId && policies.some((p) => p.definition.conditions.usesChangedColumn !== undefined)
      ? Boolean((await changesSinceTraining(tx, request.modelVersionId))?.changed.length)
      : false;
  const chain = buildChain(
    policies.map((p) => ({ id: p.id, name: p.name, version: p.version, active: p.active, definition: p.definition })),
    {
      kind: request.kind,
      environment: request.environment,
      effectiveRisk: request.effectiveRisk,
      emergency: request.emergency,
      teamId: request.teamId,
      currency: request.currency,
      totalCostMinor: request.totalCostMinor,
      dependencies: dependencySignals(dependencies),
      usesChangedColumn,
    },
  );
  const ctx: AutoPassContext = {
    kind: request.kind,
    environment: request.environment,
    risk: request.effectiveRisk,
    cost: { currency: request.currency, totalMinor: request.totalCostMinor },
    budget: null,
    dependencies: null,
  };
  if (chain.some((s) => ruleFor(s.autoPass).needs.includes("dependencies")))
    ctx.dependencies = await dependencyCoverage(tx, request, now);
  if (chain.some((s) => ruleFor(s.autoPass).needs.includes("budget")) && request.totalCostMinor !== null) {
    // Locked: two requests racing for the last of a budget take turns, so at most one fits.
    const budget = await currentBudget(tx, request.teamId, now, { lock: true });
    ctx.budget = budget ? await positionOf(tx, budget) : null;
  }
  const rows = chain.map((step) => {
    const outcome = evaluateAutoPass(step.autoPass, ctx);
    return {
      ...step,
      requestId: request.id,
      revision,
      teamId: step.scope === "requester_team" ? request.teamId : null,
      status: outcome.passed ? ("auto_passed" as const) : ("pending" as const),
      reason: outcome.passed ? outcome.reason : null,
      evidence: outcome.evidence,
      completedAt: outcome.passed ? now : null,
    };
  });
  const shortfalls = await requestShortfalls(
    tx,
    request,
    rows.filter((r) => r.status === "pending"),
  );
  if (shortfalls.length) throw new Conflict(shortfallMessage(request.number, shortfalls));
  const inserted = rows.length ? await tx.insert(requestSteps).values(rows).returning() : [];
  const revised = { ...request, revision };
  // The checks of the stages that open now are decided at once; a failure stops the request here.
  const checked = await runOpenChecks(work, revised, inserted);
  const steps = checked.steps;
  // A passed check has its own audit event (request.check_passed, lib/requests/run-checks.ts).
  for (const step of steps.filter((s) => s.status === "auto_passed" && !s.check)) {
    await recordAudit(
      tx,
      systemActor("policy engine"),
      {
        action: "request.step_auto_passed",
        entityType: "change_request",
        entityId: request.id,
        data: {
          number: request.number,
          revision,
          step: step.name,
          rule: step.autoPass,
          reason: step.reason,
          evidence: step.evidence,
        },
      },
      now,
    );
  }
  const budgetPassed = steps.some((s) => s.status === "auto_passed" && ruleFor(s.autoPass).needs.includes("budget"));
  if (budgetPassed && ctx.budget && request.totalCostMinor !== null && !checked.stoppedAs) {
    await holdCommitment(tx, revised, ctx.budget.budgetId, request.totalCostMinor, now);
  }
  if (
    ctx.dependencies &&
    steps.some((s) => s.status === "auto_passed" && ruleFor(s.autoPass).needs.includes("dependencies"))
  ) {
    await markEntriesUsed(tx, ctx.dependencies.usedEntryIds, now);
  }
  const first = openStage(steps);
  const opened = checked.stoppedAs
    ? []
    : steps.filter((s) => s.status === "pending" && (isEmergency(request) || s.stage === first));
  if (opened.length) {
    await tx
      .update(requestSteps)
      .set({ openedAt: now })
      .where(
        inArray(
          requestSteps.id,
          opened.map((s) => s.id),
        ),
      );
  }
  const approved = opened.length === 0 && !checked.stoppedAs;
  const [updated] = await tx
    .update(changeRequests)
    .set({
      status: checked.stoppedAs ?? (approved ? "approved" : "in_review"),
      revision,
      submittedAt: now,
      decidedAt: approved || checked.stoppedAs ? now : null,
      approvalExpiresAt: approved ? new Date(now.getTime() + getEnv().approvalExpiryDays * 86_400_000) : null,
      retroDueAt: null,
      updatedAt: now,
    })
    .where(eq(changeRequests.id, request.id))
    .returning();
  if (approved) {
    await commitOnApproval(tx, updated!, now);
    await issueReceipt(tx, updated!, now);
  }
  await notifyCheckFailure(work, updated!, checked);
  return { request: updated!, steps, opened };
}
