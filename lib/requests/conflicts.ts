import type { PolicyDefinition, StepConflict } from "@/db/schema/governance";
import type { Role } from "@/db/schema/org";
import type { StepScope } from "@/db/schema/requests";

// Pure: the conflicts a request step carries, read from the policy versions its snapshot names.
// A snapshot pins each policy's version, and saved versions never change, so a request in flight
// keeps the conflicts it was submitted under, exactly as it keeps its steps.

export type PinnedPolicy = { id: string; version: number };
export const pinKey = (p: PinnedPolicy) => `${p.id}@${p.version}`;

/**
 * Every conflict that any of the step's policies names on a step of the same role and scope (the
 * steps the chain merged into this one). Policies that name none leave the step without conflicts.
 */
export function stepConflicts(
  step: { role: Role; scope: StepScope; policies: readonly PinnedPolicy[]; check?: unknown },
  definitions: ReadonlyMap<string, PolicyDefinition>,
): StepConflict[] {
  const found = new Set<StepConflict>();
  for (const policy of step.policies) {
    for (const stage of definitions.get(pinKey(policy))?.stages ?? []) {
      for (const s of stage) {
        // A check step and a person's step of the same role are different steps (ADR 0024).
        const sameKind = (s.kind === "check") === Boolean(step.check);
        if (sameKind && s.role === step.role && s.scope === step.scope) for (const c of s.conflicts ?? []) found.add(c);
      }
    }
  }
  return [...found].sort();
}
