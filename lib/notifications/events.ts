// The kinds of email Greenlight sends. A person's preferences are kept per event; each template
// belongs to one event. Assigned work (a step waiting for you, its reminders and escalations) and
// @mentions may move to the daily digest but can never be switched off.

export const NOTIFICATION_EVENTS = {
  step_waiting: { label: "A step is waiting for my decision", mandatory: true },
  sla_reminder: { label: "Reminders about overdue steps", mandatory: true },
  escalation: { label: "Escalations of long-overdue steps", mandatory: true },
  comment_mention: { label: "Someone @mentions me", mandatory: true },
  decision_made: { label: "A decision on my request", mandatory: false },
  request_outcome: { label: "My request is approved, rejected, sent back or revoked", mandatory: false },
  approval_expiry: { label: "An approval of mine is about to expire, or expired unused", mandatory: false },
  deployment_news: {
    label: "A request I filed, approved or manage (my team's) is deployed or rolled back",
    mandatory: false,
  },
  package_decisions: {
    label: "The security team approves or rejects packages of my request (one email per review session)",
    mandatory: false,
  },
  policy_changed: {
    label: "An approval policy changes (admins), or would route my request in review differently if I revise it",
    mandatory: false,
  },
  delegation_started: {
    label: "Someone delegates their approvals to me, or a delegation of mine ends early",
    mandatory: false,
  },
  budget_alert: { label: "Budget alerts for my teams", mandatory: false },
  webhook_disabled: {
    label: "A webhook endpoint was turned off after failing repeatedly (admins)",
    mandatory: true,
  },
  monitoring_alert: {
    label: "A monitoring alert opens, or fires again on, a request for my team's model (and ML leads)",
    mandatory: false,
  },
  dataset_changed: {
    label: "A new dataset version changes columns a model version of mine (or my open request's) was trained on",
    mandatory: false,
  },
  weekly_insights: {
    label: "The weekly insights digest: where requests waited (admins and ML leads)",
    mandatory: false,
  },
} as const;

export type NotificationEvent = keyof typeof NOTIFICATION_EVENTS | "sign_in" | "daily_digest" | "other";
export const CONFIGURABLE_EVENTS = Object.keys(NOTIFICATION_EVENTS) as (keyof typeof NOTIFICATION_EVENTS)[];
