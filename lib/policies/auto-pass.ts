// The catalogue of named auto-pass rules a policy step may name: what each is called, what it
// promises and what facts it needs. The rules themselves are evaluated where those facts live (the
// budget rule in lib/budgets, the allowlist rule in lib/security), composed in lib/requests/auto-pass.ts
// when a chain is taken. A rule either passes the step (its reason and figures are recorded on the
// step and in the audit log) or leaves it to a person, saying why when it can.

export type { AutoPassOutcome } from "../auto-pass-outcome";
export type AutoPassFact = "budget" | "dependencies";
export type AutoPassRuleInfo = { label: string; description: string; needs: readonly AutoPassFact[] };

export const AUTO_PASS_RULES = {
  never: { label: "Never", description: "Always needs a person's decision.", needs: [] },
  within_team_budget: {
    label: "Within the team's budget",
    description: "Passes when the request's total cost fits what remains of the team's budget for the current period.",
    needs: ["budget"],
  },
  all_dependencies_allowlisted: {
    label: "All dependencies allowlisted",
    description:
      "Passes when every dependency on the request's manifest is on the security allowlist with no open vulnerability.",
    needs: ["dependencies"],
  },
} satisfies Record<string, AutoPassRuleInfo>;

export type AutoPassName = keyof typeof AUTO_PASS_RULES;
export const AUTO_PASS_NAMES = Object.keys(AUTO_PASS_RULES) as [AutoPassName, ...AutoPassName[]];

export const isAutoPassName = (name: string): name is AutoPassName => name in AUTO_PASS_RULES;

/** A rule's entry; an unknown name (a policy saved by a newer version, say) is "never". */
export function ruleFor(name: string): AutoPassRuleInfo {
  return isAutoPassName(name) ? AUTO_PASS_RULES[name] : AUTO_PASS_RULES.never;
}
