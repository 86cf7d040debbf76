// What a named auto-pass rule answers (the catalogue is lib/policies/auto-pass.ts). A kernel type
// of its own because the rules live in the domains whose facts they read (budgets, security), and
// the policies domain reads those domains' facts: neither may import the other's rule types.
export type AutoPassOutcome = { passed: boolean; reason: string | null; evidence: Record<string, unknown> | null };
