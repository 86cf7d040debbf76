import { formatMoney } from "../cba/money";
import type { AutoPassOutcome } from "../auto-pass-outcome";
import type { BudgetPosition } from "./position";

type Facts = { cost: { currency: string | null; totalMinor: number | null }; budget: BudgetPosition | null };

/**
 * `within_team_budget`: the budget step adds nothing when the request's cost fits what is left of the
 * team's budget for the current period (after spend and other requests' commitments). The figures go
 * with the outcome either way, so the manager who does get asked sees why.
 */
export function withinTeamBudget(ctx: Facts): AutoPassOutcome {
  const { currency, totalMinor } = ctx.cost;
  if (totalMinor === null || currency === null)
    return { passed: false, reason: null, evidence: { note: "No cost-benefit analysis: a manager decides." } };
  const budget = ctx.budget;
  if (!budget)
    return { passed: false, reason: null, evidence: { note: "The team has no budget for the current period." } };
  const money = (minor: number) => formatMoney(minor, budget.currency);
  const figures = {
    budgetId: budget.budgetId,
    period: budget.label,
    currency: budget.currency,
    costMinor: totalMinor,
    budgetMinor: budget.amountMinor,
    spentMinor: budget.spentMinor,
    committedMinor: budget.committedMinor,
    remainingBeforeMinor: budget.remainingMinor,
    remainingAfterMinor: budget.remainingMinor - totalMinor,
  };
  if (currency !== budget.currency) {
    return {
      passed: false,
      reason: null,
      evidence: {
        ...figures,
        note: `The request is costed in ${currency}; the team's ${budget.label} budget is in ${budget.currency}.`,
      },
    };
  }
  if (totalMinor > budget.remainingMinor) {
    const left = budget.remainingMinor > 0 ? `only ${money(budget.remainingMinor)} remains` : "nothing remains";
    return {
      passed: false,
      reason: null,
      evidence: {
        ...figures,
        note: `Costs ${money(totalMinor)}; ${left} of the ${money(budget.amountMinor)} ${budget.label} budget.`,
      },
    };
  }
  return {
    passed: true,
    reason: `Within the team's ${budget.label} budget: costs ${money(totalMinor)}, ${money(budget.remainingMinor)} of ${money(budget.amountMinor)} remained (${money(budget.remainingMinor - totalMinor)} after this request).`,
    evidence: figures,
  };
}
