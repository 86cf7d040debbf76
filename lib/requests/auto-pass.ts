import type { BudgetPosition } from "../budgets/position";
import { withinTeamBudget } from "../budgets/budget-rule";
import { isAutoPassName, type AutoPassName, type AutoPassOutcome } from "../policies/auto-pass";
import type { DependencyCoverage } from "../security/manifest-review";
import { allDependenciesAllowlisted } from "../security/allowlist-rule";

/** What the auto-pass rules may look at when a request's chain is taken. */
export type AutoPassContext = {
  kind: string;
  environment: string;
  risk: string;
  cost: { currency: string | null; totalMinor: number | null };
  /** The team's budget for the current period, loaded (and locked) only when a step needs it. */
  budget: BudgetPosition | null;
  /** Allowlist coverage of the request's dependency manifest, loaded only when a step needs it. */
  dependencies: DependencyCoverage;
};

const NOT_PASSED: AutoPassOutcome = { passed: false, reason: null, evidence: null };

// Each catalogued rule (lib/policies/auto-pass.ts) with its evaluator: a new name there does not
// compile until it is given one here.
const EVALUATORS: Record<AutoPassName, (ctx: AutoPassContext) => AutoPassOutcome> = {
  never: () => NOT_PASSED,
  within_team_budget: withinTeamBudget,
  all_dependencies_allowlisted: allDependenciesAllowlisted,
};

export function evaluateAutoPass(rule: string, ctx: AutoPassContext): AutoPassOutcome {
  return isAutoPassName(rule) ? EVALUATORS[rule](ctx) : NOT_PASSED;
}
