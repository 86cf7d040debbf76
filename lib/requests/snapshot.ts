import "server-only";
import { eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db";
import { approvalPolicies, changeRequests, requestSteps, type ChangeRequest } from "@/db/schema";
import { isEmergency, openStage } from "../approvals/state";
import { getEnv } from "../env";
import { autoPassReason } from "../policies/auto-pass";
import { buildChain } from "../policies/chain";

/**
 * Takes the chain snapshot for a request revision from the policies in force now, passes the steps
 * whose auto-pass rule holds (recording why), and puts the request in review, or approves it when
 * nothing is left to ask.
 */
export async function snapshotChain(tx: Tx, request: ChangeRequest, revision: number, now: Date) {
  const policies = await tx.select().from(approvalPolicies).where(eq(approvalPolicies.active, true));
  const chain = buildChain(
    policies.map((p) => ({ id: p.id, name: p.name, version: p.version, active: p.active, definition: p.definition })),
    { kind: request.kind, environment: request.environment, risk: request.risk, emergency: request.emergency, teamId: request.teamId },
  );
  const facts = { kind: request.kind, environment: request.environment, risk: request.risk };
  const rows = chain.map((step) => {
    const reason = autoPassReason(step.autoPass, facts);
    return { ...step, requestId: request.id, revision, teamId: step.scope === "requester_team" ? request.teamId : null, status: reason ? ("auto_passed" as const) : ("pending" as const), reason, completedAt: reason ? now : null };
  });
  const steps = rows.length ? await tx.insert(requestSteps).values(rows).returning() : [];
  const first = openStage(steps);
  const opened = steps.filter((s) => s.status === "pending" && (isEmergency(request) || s.stage === first));
  if (opened.length) {
    await tx.update(requestSteps).set({ openedAt: now }).where(inArray(requestSteps.id, opened.map((s) => s.id)));
  }
  const approved = opened.length === 0;
  const [updated] = await tx
    .update(changeRequests)
    .set({
      status: approved ? "approved" : "in_review",
      revision,
      submittedAt: now,
      decidedAt: approved ? now : null,
      approvalExpiresAt: approved ? new Date(now.getTime() + getEnv().approvalExpiryDays * 86_400_000) : null,
      retroDueAt: null,
      updatedAt: now,
    })
    .where(eq(changeRequests.id, request.id))
    .returning();
  return { request: updated!, steps, opened };
}
