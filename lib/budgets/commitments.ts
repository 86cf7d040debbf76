import "server-only";
import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { budgetCommitments, type ChangeRequest } from "@/db/schema";
import { systemActor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { currentBudget } from "./position";

/** Holds the request's cost against a budget (the caller has locked the budget row). */
export async function holdCommitment(tx: Tx, request: ChangeRequest, budgetId: string, amountMinor: number, now: Date) {
  const [held] = await tx
    .insert(budgetCommitments)
    .values({ budgetId, requestId: request.id, revision: request.revision, amountMinor, createdAt: now })
    .returning();
  await recordAudit(
    tx,
    systemActor("budgets"),
    {
      action: "budget.committed",
      entityType: "budget",
      entityId: budgetId,
      data: { number: request.number, revision: request.revision, amountMinor, currency: request.currency },
    },
    now,
  );
  return held!;
}

/**
 * A request that will not go ahead (rejected, withdrawn, expired, revoked, sent back for changes or
 * revised) gives its commitment back at once.
 */
export async function releaseCommitment(
  tx: Tx,
  request: Pick<ChangeRequest, "id" | "number">,
  reason: string,
  now: Date,
) {
  const released = await tx
    .update(budgetCommitments)
    .set({ status: "released", releaseReason: reason, releasedAt: now })
    .where(and(eq(budgetCommitments.requestId, request.id), eq(budgetCommitments.status, "held")))
    .returning();
  for (const c of released) {
    await recordAudit(
      tx,
      systemActor("budgets"),
      {
        action: "budget.released",
        entityType: "budget",
        entityId: c.budgetId,
        data: { number: request.number, amountMinor: c.amountMinor, reason },
      },
      now,
    );
  }
  return released.length;
}

/**
 * On approval a costed request commits its cost to the team's current budget (unless its budget step
 * already did). A manager may approve beyond the budget: the overrun then shows as a negative remainder.
 */
export async function commitOnApproval(tx: Tx, request: ChangeRequest, now: Date) {
  if (!request.totalCostMinor || !request.currency) return null;
  const [existing] = await tx
    .select({ id: budgetCommitments.id })
    .from(budgetCommitments)
    .where(and(eq(budgetCommitments.requestId, request.id), eq(budgetCommitments.status, "held")));
  if (existing) return null;
  const budget = await currentBudget(tx, request.teamId, now, { lock: true });
  if (!budget || budget.currency !== request.currency) return null;
  return holdCommitment(tx, request, budget.id, request.totalCostMinor, now);
}
