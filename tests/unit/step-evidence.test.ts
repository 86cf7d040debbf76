import { describe, expect, it } from "vitest";
import { withinTeamBudget } from "../../lib/budgets/budget-rule";
import type { BudgetPosition } from "../../lib/budgets/position";
import { carriesBudgetPosition, stepEvidenceFor, WITHIN_BUDGET_REDACTED } from "../../lib/budgets/step-evidence";

const budget = (over: Partial<BudgetPosition> = {}): BudgetPosition => ({
  budgetId: "b1",
  teamId: "fraud",
  label: "Mar 2032",
  interval: "month",
  periodStart: "2032-03-01",
  periodEnd: "2032-04-01",
  currency: "USD",
  amountMinor: 1_000_000,
  spentMinor: 0,
  committedMinor: 0,
  remainingMinor: 1_000_000,
  ...over,
});
const recorded = (cost: number, position: BudgetPosition | null, currency = "USD") => {
  const outcome = withinTeamBudget({ cost: { currency, totalMinor: cost }, budget: position });
  return { autoPass: "within_team_budget", reason: outcome.reason, evidence: outcome.evidence };
};

describe("budget figures in step evidence", () => {
  it("those who may see the budget read the step as recorded", () => {
    const step = recorded(182_500, budget());
    expect(stepEvidenceFor(step, true)).toBe(step);
    expect(step.reason).toMatch(/costs \$1,825\.00, \$10,000\.00 of \$10,000\.00 remained/);
  });

  it("everyone else reads an auto-pass without figures", () => {
    const shown = stepEvidenceFor(recorded(182_500, budget()), false);
    expect(shown).toEqual({ autoPass: "within_team_budget", reason: WITHIN_BUDGET_REDACTED, evidence: null });
    expect(JSON.stringify(shown)).not.toMatch(/\d/);
  });

  it("a budget step left to a person says why without amounts", () => {
    const over = stepEvidenceFor(recorded(365_000, budget({ remainingMinor: 300_000 })), false);
    expect(over).toEqual({
      autoPass: "within_team_budget",
      reason: null,
      evidence: { note: "Not within what remains of the team's budget: a manager decides." },
    });
    const currency = stepEvidenceFor(recorded(182_500, budget({ currency: "EUR" })), false);
    expect(currency.evidence).toEqual({ note: "The team's budget is kept in another currency: a manager decides." });
    // Notes without figures stay as they are.
    expect(stepEvidenceFor(recorded(182_500, null), false).evidence).toEqual({
      note: "The team has no budget for the current period.",
    });
  });

  it("steps whose rule does not look at budgets are never touched", () => {
    const security = {
      autoPass: "all_dependencies_allowlisted",
      reason: "All 2 dependencies are on the security allowlist with no open vulnerability (2 allowlist entries used).",
      evidence: { dependencies: 2, allowlistEntries: ["a", "b"] },
    };
    expect(carriesBudgetPosition(security)).toBe(false);
    expect(stepEvidenceFor(security, false)).toBe(security);
    expect(carriesBudgetPosition({ autoPass: "within_team_budget" })).toBe(true);
    expect(carriesBudgetPosition({ autoPass: "some_future_rule" })).toBe(false);
  });
});
