import type { AuditAction } from "../audit/actions";

/**
 * What an endpoint can subscribe to, and what each means to a receiver. Every type is raised by one
 * audit action (below), so a webhook is sent exactly when the change it reports is on the audit log.
 */
export const WEBHOOK_EVENTS = {
  "request.submitted": "A change request was submitted for review.",
  "request.decided": "Someone approved, rejected or asked for changes on a step of a request.",
  "request.approved": "A request was approved: the gate now answers yes for its artifact.",
  "request.rejected": "A request was rejected.",
  "request.changes_requested": "An approver asked the requester to change a request.",
  "request.withdrawn": "The requester withdrew a request.",
  "request.revoked": "An approval was revoked: the gate answers no again.",
  "request.expired": "An approval lapsed unused.",
  "request.deployed": "An approved request was marked deployed.",
  "request.rolled_back": "A deployed request was rolled back.",
  "request.outcome_recorded": "How a deployment went was recorded.",
  "step.auto_passed": "An approval step passed by itself, with the reason recorded.",
  "check.passed": "An automated evaluation check on a model version's metrics passed, with its figures.",
  "check.failed": "An automated evaluation check failed and stopped the request, with its figures.",
  "check.overridden": "Someone overrode a failed evaluation check, with their reason.",
  "budget.alert": "A team's spend crossed a budget alert threshold.",
  "security.finding": "A new advisory affects the manifest of an approved or deployed request.",
  "dependency.decided": "The security team approved or rejected a package on a request.",
  "model.version_registered": "A model version was registered.",
  "policy.changed": "An approval policy was created, changed or turned off.",
  "dataset.version_created": "A new version of a dataset was added to the data dictionary.",
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as [WebhookEventType, ...WebhookEventType[]];

const FROM_AUDIT: Partial<Record<AuditAction, WebhookEventType>> = {
  "request.submitted": "request.submitted",
  "request.decided": "request.decided",
  "request.approved": "request.approved",
  "request.rejected": "request.rejected",
  "request.changes_requested": "request.changes_requested",
  "request.withdrawn": "request.withdrawn",
  "request.revoked": "request.revoked",
  "request.expired": "request.expired",
  "request.deployed": "request.deployed",
  "request.rolled_back": "request.rolled_back",
  "request.outcome_recorded": "request.outcome_recorded",
  "request.step_auto_passed": "step.auto_passed",
  "request.check_passed": "check.passed",
  "request.check_failed": "check.failed",
  "request.check_overridden": "check.overridden",
  "budget.alert_sent": "budget.alert",
  "request.rechecked": "security.finding",
  "dependency.decided": "dependency.decided",
  "model.version_registered": "model.version_registered",
  "policy.created": "policy.changed",
  "policy.updated": "policy.changed",
  "policy.deactivated": "policy.changed",
  "dataset.version_created": "dataset.version_created",
};

/** The event an audit action raises, if any. */
export function webhookEventFor(action: AuditAction): WebhookEventType | undefined {
  return FROM_AUDIT[action];
}
