import { ruleFor } from "../policies/auto-pass";

// Pure: the one place that decides what a step's recorded reason and evidence say to someone who may
// not see the team's budget. The budget rule (budget-rule.ts) records the team's position (budget,
// spent, committed, remaining) with its outcome; the stored record keeps the figures (the audit log
// needs them) and every reader asks this function with maySeeBudgetImpact's answer: the request page,
// GET /api/v1/requests/{number} and the emails.

export const WITHIN_BUDGET_REDACTED = "Within the team's budget";
const OVER_BUDGET_REDACTED = "Not within what remains of the team's budget: a manager decides.";
const OTHER_CURRENCY_REDACTED = "The team's budget is kept in another currency: a manager decides.";

type Recorded = { autoPass: string; reason: string | null; evidence: Record<string, unknown> | null };

/** Whether a step's reason and evidence come from a rule that looks at the team's budget. */
export function carriesBudgetPosition(step: Pick<Recorded, "autoPass">): boolean {
  return ruleFor(step.autoPass).needs.includes("budget");
}

/**
 * The step as this viewer may read it: unchanged for those who may see the team's budget (and for
 * steps whose rule does not look at budgets); otherwise the reason without figures ("Within the
 * team's budget"), the evidence reduced to a note without amounts, or to nothing.
 */
export function stepEvidenceFor<S extends Recorded>(step: S, maySeeBudget: boolean): S {
  if (maySeeBudget || !carriesBudgetPosition(step)) return step;
  const evidence = step.evidence;
  const figures = evidence !== null && "budgetId" in evidence;
  let redacted: Record<string, unknown> | null = null;
  if (evidence && !figures) redacted = typeof evidence.note === "string" ? { note: evidence.note } : null;
  else if (evidence && step.reason === null) {
    // Not passed with the figures at hand: over what remains, or a budget in another currency.
    const fits = typeof evidence.remainingAfterMinor === "number" && evidence.remainingAfterMinor >= 0;
    redacted = { note: fits ? OTHER_CURRENCY_REDACTED : OVER_BUDGET_REDACTED };
  }
  return { ...step, reason: step.reason === null ? null : WITHIN_BUDGET_REDACTED, evidence: redacted };
}
