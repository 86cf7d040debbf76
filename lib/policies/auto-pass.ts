import type { BudgetPosition } from "../budgets/position";
import { withinTeamBudget } from "../budgets/budget-rule";
import type { DependencyCoverage } from "../security/manifest-review";
import { allDependenciesAllowlisted } from "../security/allowlist-rule";

// The registry of named auto-pass rules a policy step may use. A rule looks at the request when its
// chain is taken and either passes the step (the reason and the figures are recorded on the step and
// in the audit log) or leaves it to a person, saying why when it can (shown to the approver).

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
export type AutoPassOutcome = { passed: boolean; reason: string | null; evidence: Record<string, unknown> | null };
export type AutoPassRule = {
  label: string;
  description: string;
  needs: readonly ("budget" | "dependencies")[];
  evaluate: (ctx: AutoPassContext) => AutoPassOutcome;
};

const NOT_PASSED: AutoPassOutcome = { passed: false, reason: null, evidence: null };

export const AUTO_PASS_RULES = {
  never: { label: "Never", description: "Always needs a person's decision.", needs: [], evaluate: () => NOT_PASSED },
  within_team_budget: {
    label: "Within the team's budget",
    description: "Passes when the request's total cost fits what remains of the team's budget for the current period.",
    needs: ["budget"],
    evaluate: withinTeamBudget,
  },
  all_dependencies_allowlisted: {
    label: "All dependencies allowlisted",
    description:
      "Passes when every dependency on the request's manifest is on the security allowlist with no open vulnerability.",
    needs: ["dependencies"],
    evaluate: allDependenciesAllowlisted,
  },
} satisfies Record<string, AutoPassRule>;

export type AutoPassName = keyof typeof AUTO_PASS_RULES;
export const AUTO_PASS_NAMES = Object.keys(AUTO_PASS_RULES) as [AutoPassName, ...AutoPassName[]];

export function ruleFor(name: string): AutoPassRule {
  return (AUTO_PASS_RULES as Record<string, AutoPassRule>)[name] ?? AUTO_PASS_RULES.never;
}

export function evaluateAutoPass(rule: string, ctx: AutoPassContext): AutoPassOutcome {
  return ruleFor(rule).evaluate(ctx);
}
