import type { PolicyDefinition, StepCheck } from "@/db/schema/governance";
import type { ChainStep } from "./chain";
import type { PolicyInput } from "./chain";

// Pure: how the chain a request got differs from the chain a draft policy set would build for the
// same facts. Steps are matched by role and scope, as buildChain merges them.

/** A step as the request's snapshot holds it. */
export type TakenStep = {
  stage: number;
  name: string;
  role: string;
  scope: string;
  quorum: number;
  autoPass: string;
  status: string;
  /** A check step's rules (ADR 0024); null or absent for a person's step. */
  check?: StepCheck | null;
};
// "check": a check of the draft set would stop the request (what it would find is in the words).
export const CHANGE_TYPES = ["added", "removed", "quorum", "autoPass", "stage", "check"] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];
export type StepChange = {
  type: ChangeType;
  step: string;
  role: string;
  scope: string;
  from?: string | number;
  to?: string | number;
};

// As buildChain merges them: a check is its own step per set of rules, never a person's step.
const key = (s: { role: string; scope: string; check?: StepCheck | null }) =>
  s.check ? `check:${JSON.stringify(s.check)}:${s.role}:${s.scope}` : `${s.role}:${s.scope}`;
const asked = (s: { stage: number; quorum: number; check?: StepCheck | null }) =>
  s.check ? `stage ${s.stage}, an automated check` : `stage ${s.stage}, ${s.quorum} needed`;

export function compareChains(taken: readonly TakenStep[], draft: readonly ChainStep[]): StepChange[] {
  const changes: StepChange[] = [];
  const before = new Map(taken.map((s) => [key(s), s]));
  const after = new Map(draft.map((s) => [key(s), s]));
  for (const s of draft) {
    const was = before.get(key(s));
    const at = { step: s.name, role: s.role, scope: s.scope };
    if (!was) {
      changes.push({ type: "added", ...at, to: asked(s) });
      continue;
    }
    if (was.quorum !== s.quorum) changes.push({ type: "quorum", ...at, from: was.quorum, to: s.quorum });
    // The rule named, not its outcome: whether a budget or an allowlist would have passed the step
    // then depends on figures of that day, which are not replayed.
    if (was.autoPass !== s.autoPass) changes.push({ type: "autoPass", ...at, from: was.autoPass, to: s.autoPass });
    if (was.stage !== s.stage) changes.push({ type: "stage", ...at, from: was.stage, to: s.stage });
  }
  for (const s of taken) {
    if (!after.has(key(s)))
      changes.push({
        type: "removed",
        step: s.name,
        role: s.role,
        scope: s.scope,
        from: asked(s),
      });
  }
  return changes;
}

/** One change in words, for the list: "added ML lead review (ml_lead, any): stage 2, 1 needed". */
export function changeInWords(c: StepChange): string {
  const who = `${c.step} (${c.role}${c.scope === "requester_team" ? ", requester's team" : ""})`;
  switch (c.type) {
    case "added":
      return `adds ${who}: ${c.to}`;
    case "removed":
      return `drops ${who}: was ${c.from}`;
    case "quorum":
      return `${who} needs ${c.to} instead of ${c.from}`;
    case "autoPass":
      return `${who} auto-pass rule ${c.from} -> ${c.to}`;
    case "stage":
      return `${who} moves from stage ${c.from} to ${c.to}`;
    case "check":
      return `${c.step} would stop it: ${c.to}`;
  }
}

export type DraftPolicy = {
  id?: string;
  name: string;
  description?: string;
  active: boolean;
  definition: PolicyDefinition;
};

/**
 * The policy set with drafts in place: a draft replaces the stored policy with its id (or, without
 * one, its name, case-insensitive) and is added otherwise. With `only`, the set is exactly the
 * drafts (a whole document applied with --prune).
 */
export function draftSet(current: readonly PolicyInput[], drafts: readonly DraftPolicy[], only = false): PolicyInput[] {
  const result: PolicyInput[] = only ? [] : [...current];
  for (const d of drafts) {
    const at = result.findIndex((p) => (d.id ? p.id === d.id : p.name.toLowerCase() === d.name.toLowerCase()));
    const prior = at >= 0 ? result[at]! : current.find((p) => p.name.toLowerCase() === d.name.toLowerCase());
    const draft: PolicyInput = {
      id: prior?.id ?? `draft:${d.name}`,
      name: d.name,
      version: (prior?.version ?? 0) + 1,
      active: d.active,
      definition: d.definition,
    };
    if (at >= 0) result[at] = draft;
    else result.push(draft);
  }
  return result;
}
