import type { StepConflict } from "@/db/schema/governance";
import type { Role } from "@/db/schema/org";
import type { DecisionKind, RequestStatus, StepScope, StepStatus } from "@/db/schema/requests";
import type { Person } from "../users/people";
export type { Person };

// Pure rules of an approval chain: who may decide which step, when a stage opens, what a decision does.

export type StepState = {
  id: string;
  /** As people see it ("Security review"); messages name it. */
  name?: string;
  stage: number;
  role: Role;
  scope: StepScope;
  quorum: number;
  approvals: number;
  status: StepStatus;
  /** Who may not decide it although they hold its role, as its policies say (none when absent). */
  conflicts?: readonly StepConflict[];
  /** A check step's rules (ADR 0024): its rules decide it, never a person's decision. */
  check?: unknown;
};
export type RequestFacts = {
  requestedBy: string;
  teamId: string;
  emergency: boolean;
  environment: string;
  /** Who registered the model version the request is about: like the requester, they never decide it. */
  authorId?: string | null;
  /** The owner of the request's model (a step naming the "model_owner" conflict refuses them). */
  modelOwnerId?: string | null;
};

const DONE: StepStatus[] = ["approved", "auto_passed"];
export const isDone = (s: StepState) => DONE.includes(s.status);

/**
 * Emergency changes open every step at once (the ML lead goes first, the rest is retro). Only a
 * request to a protected environment can be filed as one (checked when it is filed or edited), and it
 * stays one if the environment is unprotected later: requests keep the rules they were filed under.
 */
export const isEmergency = (r: RequestFacts) => r.emergency;

/** The stage whose steps may be decided now: the first with a pending step (all of them in an emergency). */
export function openStage(steps: StepState[]): number | null {
  const pending = steps.filter((s) => s.status === "pending").map((s) => s.stage);
  return pending.length ? Math.min(...pending) : null;
}

export function stepIsOpen(steps: StepState[], step: StepState, request: RequestFacts): boolean {
  if (step.status !== "pending") return false;
  return isEmergency(request) || step.stage === openStage(steps);
}

/** May this person decide this step at all (role and scope; never their own request)? */
export function mayDecide(
  step: Pick<StepState, "role" | "scope" | "check">,
  person: Person,
  request: RequestFacts,
): boolean {
  if (step.check) return false;
  if (person.id === request.requestedBy) return false;
  if (!person.roles.includes(step.role)) return false;
  return step.scope === "any" || person.teamIds.includes(request.teamId);
}

export type DecisionOutcome<S extends StepState = StepState> = {
  steps: S[];
  /** The request's status after the decision. */
  status: RequestStatus;
  /** A stage that this decision opened (its approvers should be told), if any. */
  openedStage: number | null;
  /** In an emergency: the decision that opened the gate before the chain finished. */
  gateOpenedEarly: boolean;
};

/**
 * Applies one counted decision to an open step. The caller has already checked that the person may
 * decide it and has not decided this revision before.
 */
export function applyDecision<S extends StepState>(
  steps: S[],
  stepId: string,
  decision: DecisionKind,
  request: RequestFacts & { status: RequestStatus },
): DecisionOutcome<S> {
  const before = openStage(steps);
  const next = steps.map((s) => ({ ...s }));
  const step = next.find((s) => s.id === stepId);
  if (!step || step.status !== "pending") throw new Error("decision on a step that is not pending");

  if (decision !== "approve") {
    step.status = decision === "reject" ? "rejected" : "changes_requested";
    // An emergency change already running is pulled back: its gate closes.
    if (request.status === "approved" || request.status === "deployed")
      return { steps: next, status: "revoked", openedStage: null, gateOpenedEarly: false };
    return {
      steps: next,
      status: decision === "reject" ? "rejected" : "changes_requested",
      openedStage: null,
      gateOpenedEarly: false,
    };
  }

  step.approvals += 1;
  if (step.approvals >= step.quorum) step.status = "approved";
  if (next.every(isDone)) {
    // A deployed emergency that completes its retro-approval stays deployed.
    const status = request.status === "deployed" ? "deployed" : "approved";
    return { steps: next, status, openedStage: null, gateOpenedEarly: false };
  }

  if (isEmergency(request)) {
    const gate = request.status === "in_review" && step.role === "ml_lead";
    return { steps: next, status: gate ? "approved" : request.status, openedStage: null, gateOpenedEarly: gate };
  }
  const after = openStage(next);
  return { steps: next, status: "in_review", openedStage: after !== before ? after : null, gateOpenedEarly: false };
}

/** The check steps open now (ADR 0024): they are evaluated at once, by their rules, when their stage opens. */
export function openChecks<S extends StepState>(steps: S[], request: RequestFacts): S[] {
  return steps.filter((s) => Boolean(s.check) && stepIsOpen(steps, s, request));
}

/**
 * What failed checks do to a request: a check whose policy says "reject" closes it, else it goes back
 * to the requester. null when no check has failed.
 */
export function stoppedBy(
  failed: readonly { onFail: "reject" | "changes_requested" }[],
): "rejected" | "changes_requested" | null {
  if (!failed.length) return null;
  return failed.some((f) => f.onFail === "reject") ? "rejected" : "changes_requested";
}
