// The registry of named auto-pass rules a policy step may use. A rule looks at the request when it is
// submitted and returns the reason the step adds nothing (it then passes, with that reason recorded),
// or null. Later features add rules (dependencies all allow-listed, cost within the team's budget).
export type AutoPassContext = { kind: string; environment: string; risk: string };
export type AutoPassRule = { label: string; description: string; evaluate: (ctx: AutoPassContext) => string | null };

export const AUTO_PASS_RULES = {
  never: { label: "Never", description: "Always needs a person's decision.", evaluate: () => null },
} satisfies Record<string, AutoPassRule>;

export type AutoPassName = keyof typeof AUTO_PASS_RULES;
export const AUTO_PASS_NAMES = Object.keys(AUTO_PASS_RULES) as [AutoPassName, ...AutoPassName[]];

export function autoPassReason(rule: string, ctx: AutoPassContext): string | null {
  const known = (AUTO_PASS_RULES as Record<string, AutoPassRule>)[rule];
  return known ? known.evaluate(ctx) : null;
}
