import "server-only";
import { and, eq, gt, lte, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { budgets, type Budget } from "@/db/schema";
import { periodLabel } from "./periods";

export type BudgetPosition = {
  budgetId: string;
  teamId: string;
  label: string;
  interval: Budget["interval"];
  periodStart: string;
  periodEnd: string;
  currency: string;
  amountMinor: number;
  spentMinor: number;
  committedMinor: number;
  remainingMinor: number;
};

/**
 * The team's budget covering `now` (UTC date). With `lock`, the budget row is locked for the rest of
 * the transaction, so two requests racing for the last of a budget take turns.
 */
export async function currentBudget(tx: Db | Tx, teamId: string, now: Date, options: { lock?: boolean } = {}) {
  const today = now.toISOString().slice(0, 10);
  const query = tx
    .select()
    .from(budgets)
    .where(and(eq(budgets.teamId, teamId), lte(budgets.periodStart, today), gt(budgets.periodEnd, today)))
    .orderBy(budgets.periodStart)
    .limit(1);
  const [budget] = options.lock ? await query.for("update") : await query;
  return budget ?? null;
}

/**
 * Spent = every spend entry; committed = what held commitments have not yet turned into spend
 * (spend recorded against a request consumes its commitment, so nothing counts twice).
 */
export async function positionOf(tx: Db | Tx, budget: Budget): Promise<BudgetPosition> {
  const rows = await tx.execute<{ spent: string | null; committed: string | null }>(sql`
    select
      (select coalesce(sum(amount_minor), 0) from budget_spend where budget_id = ${budget.id}) as spent,
      (select coalesce(sum(greatest(c.amount_minor - coalesce(
         (select sum(s.amount_minor) from budget_spend s where s.budget_id = c.budget_id and s.request_id = c.request_id), 0), 0)), 0)
       from budget_commitments c where c.budget_id = ${budget.id} and c.status = 'held') as committed`);
  const row = rows[0]!;
  const spentMinor = Number(row.spent ?? 0);
  const committedMinor = Number(row.committed ?? 0);
  return {
    budgetId: budget.id,
    teamId: budget.teamId,
    label: periodLabel(budget.interval, budget.periodStart),
    interval: budget.interval,
    periodStart: budget.periodStart,
    periodEnd: budget.periodEnd,
    currency: budget.currency,
    amountMinor: budget.amountMinor,
    spentMinor,
    committedMinor,
    remainingMinor: budget.amountMinor - spentMinor - committedMinor,
  };
}
