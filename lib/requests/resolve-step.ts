import type { StepConflict } from "@/db/schema/governance";
import type { Role } from "@/db/schema/org";
import { kindInWords } from "../labels";
import { mayDecide, stepIsOpen, type Person, type RequestFacts, type StepState } from "./state";

// Pure: which step a decision lands on and who it counts for, or why there is none. The decide verb
// (under the request's row lock), the request page and the inbox all ask this one function, so
// nothing is offered that the verb would refuse.

/** Someone as the messages name them. */
export type Named = Person & { name?: string | null; email?: string };

/** A decision already counted on this revision: who made it, whom it counts for, on which step. */
export type CastDecision = {
  actorId: string;
  principalId: string;
  stepName: string;
  actorName: string;
  principalName: string;
};

/**
 * A delegation to the actor in force now: they may decide for `from`, only steps of `role` when it
 * is set, and only requests of `teamId` when it is set. It never gives a role `from` does not hold.
 */
export type DelegationGrant = { from: Named; role?: Role | null; teamId?: string | null };

/** The request as the rules and their messages need it. */
export type ApprovalRequest = RequestFacts & {
  number: number;
  revision: number;
  kind: string;
  model?: string | null;
  version?: string | null;
  teamName?: string | null;
};

export type Resolution =
  | { ok: true; step: StepState; principal: Named; onBehalfOf: string | null }
  | { ok: false; status: 403 | 409; reason: string };
type Refusal = Extract<Resolution, { ok: false }>;

const nameOf = (p: Named) => p.name ?? p.email ?? "Someone";
const where = (r: ApprovalRequest) => `CR-${r.number} revision ${r.revision}`;
const refuse = (status: 403 | 409, reason: string): Refusal => ({ ok: false, status, reason });

export const NOT_OPEN = "There is nothing for you to decide now: your step's stage has not opened, or it is complete.";
export const NO_ROLE = "You may not decide this step: it needs another role or team.";

/** The seat a person already holds on this revision: a decision they made, or one made for them. */
export function seatOf(cast: readonly CastDecision[], personId: string): CastDecision | undefined {
  return cast.find((c) => c.actorId === personId || c.principalId === personId);
}

/** Which of the step's conflicts this person falls under, if any. */
export function conflictWith(step: StepState, person: Person, request: RequestFacts): StepConflict | null {
  for (const conflict of step.conflicts ?? []) {
    if (conflict === "model_owner" && request.modelOwnerId && person.id === request.modelOwnerId) return conflict;
    if (conflict === "requester_team" && person.teamIds.includes(request.teamId)) return conflict;
  }
  return null;
}

/** Never in this step's seat, whatever their roles: the requester, the version's author, a named conflict. */
export function barredFrom(step: StepState, person: Person, request: RequestFacts): boolean {
  return (
    person.id === request.requestedBy ||
    (Boolean(request.authorId) && person.id === request.authorId) ||
    conflictWith(step, person, request) !== null
  );
}

function registered(request: ApprovalRequest, principal: Named | null): string {
  const version = `${request.model ?? "the model"} ${request.version ?? ""}`.trim();
  const what = kindInWords(request.kind);
  return principal
    ? `${nameOf(principal)} registered ${version}: you cannot decide its ${what} for them.`
    : `You registered ${version}: someone else must approve its ${what}.`;
}

function yourSeat(seat: CastDecision, you: string, request: ApprovalRequest): string {
  if (seat.actorId !== you)
    return `${seat.actorName} already decided for you on ${where(request)} (${seat.stepName}); one person counts once.`;
  const detail = seat.principalId === you ? seat.stepName : `${seat.stepName}, for ${seat.principalName}`;
  return `You already decided on ${where(request)} (${detail}); one person counts once.`;
}

function theirSeat(seat: CastDecision, principal: Named, request: ApprovalRequest): string {
  const them = nameOf(principal);
  if (seat.actorId !== principal.id)
    return `${seat.actorName} already decided for ${them} on ${where(request)} (${seat.stepName}); one person counts once.`;
  const detail = seat.principalId === principal.id ? seat.stepName : `${seat.stepName}, for ${seat.principalName}`;
  return `${them} already decided on ${where(request)} (${detail}); one person counts once, so you cannot also decide for them.`;
}

function conflictReason(
  conflict: StepConflict,
  step: StepState,
  request: ApprovalRequest,
  principal: Named | null,
): string {
  const stepName = step.name ?? "This step";
  const forThem = principal ? ", so you cannot decide it for them" : "";
  if (conflict === "model_owner") {
    const model = request.model ?? "the model";
    const who = principal ? `${nameOf(principal)} owns` : "You own";
    return `${who} ${model}: ${stepName} must be decided by someone other than its owner${forThem}.`;
  }
  const team = request.teamName ? `${request.teamName}, the requester's team` : "the requester's team";
  const who = principal ? `${nameOf(principal)} is in` : "You are in";
  return `${who} ${team}: ${stepName} must be decided by someone outside it${forThem}.`;
}

/** Does the delegation (null: deciding as oneself) reach this step of this request? */
function covers(grant: DelegationGrant | null, step: StepState, request: RequestFacts): boolean {
  if (!grant) return true;
  return (!grant.role || grant.role === step.role) && (!grant.teamId || grant.teamId === request.teamId);
}

/**
 * Which step a decision lands on, and who it counts for. The actor may decide as themselves or for
 * someone who delegated to them (then the delegator counts), within the delegation's scope. One
 * person, one seat per revision: `cast` holds this revision's decisions, and nobody who made one or
 * had one made for them decides again, in any capacity, on any step. The requester and the author
 * of the model version never decide, not even for someone else; nor does anyone a step's conflicts
 * name. Refusals name the reason: 403 for who the person is, 409 for what already happened.
 */
export function resolveStep(
  steps: StepState[],
  request: ApprovalRequest,
  actor: Named,
  delegations: readonly DelegationGrant[],
  cast: readonly CastDecision[],
  stepId?: string,
): Resolution {
  if (actor.id === request.requestedBy) return refuse(403, "You cannot decide on your own request.");
  if (request.authorId && actor.id === request.authorId) return refuse(403, registered(request, null));
  const mine = seatOf(cast, actor.id);
  if (mine) return refuse(409, yourSeat(mine, actor.id, request));

  const principals: { person: Named; grant: DelegationGrant | null }[] = [
    { person: actor, grant: null },
    ...delegations
      .filter((g) => g.from.id !== actor.id && g.from.id !== request.requestedBy)
      .map((grant) => ({ person: grant.from, grant })),
  ];
  // The first reason found wins: the actor's own standing comes before their delegators'.
  let refusal: Refusal | null = null;
  for (const { person, grant } of principals) {
    const candidates = steps.filter(
      (s) => (!stepId || s.id === stepId) && mayDecide(s, person, request) && covers(grant, s, request),
    );
    if (!candidates.length) continue;
    if (grant) {
      if (request.authorId && person.id === request.authorId) {
        refusal ??= refuse(403, registered(request, person));
        continue;
      }
      const theirs = seatOf(cast, person.id);
      if (theirs) {
        refusal ??= refuse(409, theirSeat(theirs, person, request));
        continue;
      }
    }
    for (const step of candidates) {
      const own = conflictWith(step, actor, request);
      const theirs = grant ? conflictWith(step, person, request) : null;
      if (own || theirs) {
        refusal ??= refuse(
          403,
          own ? conflictReason(own, step, request, null) : conflictReason(theirs!, step, request, person),
        );
        continue;
      }
      if (stepIsOpen(steps, step, request))
        return { ok: true, step, principal: person, onBehalfOf: grant ? person.id : null };
      refusal ??= refuse(409, NOT_OPEN);
    }
  }
  return refusal ?? refuse(403, NO_ROLE);
}

const FAILED: readonly string[] = ["rejected", "changes_requested"];

/**
 * Why this person may not override this check step (ADR 0024), or null when they may: they hold its
 * role themselves (a delegation does not reach overrides), in its scope, and are not barred from its
 * seat (the requester, the version's author, a conflict its policy names).
 */
export function overrideRefusal(step: StepState, person: Named, request: RequestFacts): string | null {
  const name = step.name ?? "this check";
  const scoped = step.scope === "any" || person.teamIds.includes(request.teamId);
  if (!person.roles.includes(step.role) || !scoped || barredFrom(step, person, request))
    return `You may not override ${name}: the policy leaves it to another role or team.`;
  return null;
}

/** A check that stopped the request and is still what holds it: the only kind an override applies to. */
export function isStoppingCheck(step: StepState, requestStatus: string): boolean {
  return Boolean(step.check) && FAILED.includes(step.status) && FAILED.includes(requestStatus);
}
