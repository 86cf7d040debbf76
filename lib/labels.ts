// The words the product uses for a request's states, kinds and decisions: one registry, read by
// pages, components, emails and the verbs' messages alike. Pure (safe in client components).
import type { DecisionKind, DeploymentOutcome, RequestKind, RequestStatus, StepStatus } from "@/db/schema/requests";
import type { Role } from "@/db/schema/org";

export const REQUEST_STATUS_LABELS: Record<RequestStatus, string> = {
  draft: "Draft",
  in_review: "In review",
  changes_requested: "Changes requested",
  approved: "Approved",
  rejected: "Rejected",
  withdrawn: "Withdrawn",
  deployed: "Deployed",
  rolled_back: "Rolled back",
  expired: "Expired",
  revoked: "Revoked",
};

export const OUTCOME_LABELS: Record<DeploymentOutcome, string> = {
  successful: "Successful",
  successful_with_issues: "Successful, with issues",
  rolled_back: "Rolled back",
};

export const STEP_STATUS_LABELS: Record<StepStatus, string> = {
  pending: "Waiting",
  approved: "Approved",
  rejected: "Rejected",
  changes_requested: "Changes requested",
  auto_passed: "Passed automatically",
};

export const REQUEST_KIND_LABELS: Record<RequestKind, string> = {
  deployment: "Deployment",
  provisioning: "Provisioning",
  dependency_adoption: "Dependency adoption",
};

export const DECISION_LABELS: Record<
  DecisionKind,
  {
    /** The button or choice: "Approve". */
    action: string;
    /** "Maya asked for changes". */
    did: string;
    /** "Maya approved Security review". */
    didStep: string;
    /** "You approved". */
    yours: string;
  }
> = {
  approve: { action: "Approve", did: "approved", didStep: "approved", yours: "You approved" },
  reject: { action: "Reject", did: "rejected", didStep: "rejected", yours: "You rejected" },
  request_changes: {
    action: "Request changes",
    did: "asked for changes",
    didStep: "asked for changes on",
    yours: "You asked for changes",
  },
};

/** A status inside a sentence: "CR-1042 is changes requested". */
export const statusInWords = (status: RequestStatus): string => REQUEST_STATUS_LABELS[status].toLowerCase();

const isKind = (value: string): value is RequestKind => value in REQUEST_KIND_LABELS;

/** A kind inside a sentence: "dependency adoption" (any stored value: policies keep plain strings). */
export const kindInWords = (kind: string): string => (isKind(kind) ? REQUEST_KIND_LABELS[kind].toLowerCase() : kind);

const isDecision = (value: string): value is DecisionKind => value in DECISION_LABELS;

/** A decision's past tense ("asked for changes", or before a step: "asked for changes on"); any stored value. */
export function decisionInWords(decision: string, form: "did" | "didStep" = "did"): string {
  return isDecision(decision) ? DECISION_LABELS[decision][form] : "decided";
}

/** A role as a noun for the people who hold it: "1 ML lead", "2 managers". */
const ROLE_NOUNS: Record<Role, [one: string, many: string]> = {
  requester: ["requester", "requesters"],
  manager: ["manager", "managers"],
  security: ["security reviewer", "security reviewers"],
  ml_lead: ["ML lead", "ML leads"],
  admin: ["admin", "admins"],
};

export const roleNoun = (role: Role, count: number): string => ROLE_NOUNS[role][count === 1 ? 0 : 1];
