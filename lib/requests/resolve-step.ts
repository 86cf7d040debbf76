import { mayDecide, stepIsOpen, type Person, type RequestFacts, type StepState } from "./state";

export type Resolution =
  | { ok: true; step: StepState; principal: Person; onBehalfOf: string | null }
  | { ok: false; status: 403 | 409; reason: string };

/**
 * Which step a decision lands on, and who it counts for. The actor may decide as themselves or for
 * someone who delegated to them (then the delegator counts). `decided` holds everyone who already
 * counts on this revision. Pure: the decide verb and the property tests share it.
 */
export function resolveStep(
  steps: StepState[],
  request: RequestFacts,
  actor: Person,
  delegators: Person[],
  decided: ReadonlySet<string>,
  stepId?: string,
): Resolution {
  if (actor.id === request.requestedBy)
    return { ok: false, status: 403, reason: "You cannot decide on your own request." };
  const principals = [actor, ...delegators.filter((d) => d.id !== request.requestedBy)];
  let sawEligible = false;
  let sawDecided = false;
  for (const principal of principals) {
    const candidates = steps.filter((s) => (!stepId || s.id === stepId) && mayDecide(s, principal, request));
    if (!candidates.length) continue;
    sawEligible = true;
    if (decided.has(principal.id)) {
      sawDecided = true;
      continue;
    }
    const open = candidates.find((s) => stepIsOpen(steps, s, request));
    if (open) return { ok: true, step: open, principal, onBehalfOf: principal.id === actor.id ? null : principal.id };
  }
  if (!sawEligible) {
    return { ok: false, status: 403, reason: "You may not decide this step: it needs another role or team." };
  }
  if (sawDecided)
    return { ok: false, status: 409, reason: "You have already decided on this revision of the request." };
  return {
    ok: false,
    status: 409,
    reason: "There is nothing for you to decide now: your step's stage has not opened, or it is complete.",
  };
}
