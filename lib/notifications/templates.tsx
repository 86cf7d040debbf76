import { render } from "@react-email/render";
import type { ReactElement } from "react";
import type { z } from "zod";
import ApprovalExpiringEmail, { ApprovalExpiringEmailProps, approvalExpiringSubject } from "@/emails/approval-expiring";
import ApprovalExpiredEmail, { ApprovalExpiredEmailProps, approvalExpiredSubject } from "@/emails/approval-expired";
import PolicyChangedEmail, { PolicyChangedEmailProps, policyChangedSubject } from "@/emails/policy-changed";
import PackageDecisionsEmail, { PackageDecisionsEmailProps, packageDecisionsSubject } from "@/emails/package-decisions";
import ApprovedAtSubmissionEmail, {
  ApprovedAtSubmissionEmailProps,
  approvedAtSubmissionSubject,
} from "@/emails/approved-at-submission";
import BudgetAlertEmail, { BudgetAlertEmailProps, budgetAlertSubject } from "@/emails/budget-alert";
import ChangesRequestedEmail, { ChangesRequestedEmailProps, changesRequestedSubject } from "@/emails/changes-requested";
import CommentMentionEmail, { CommentMentionEmailProps, commentMentionSubject } from "@/emails/comment-mention";
import DailyDigestEmail, { DailyDigestEmailProps, dailyDigestSubject } from "@/emails/daily-digest";
import DecisionMadeEmail, { DecisionMadeEmailProps, decisionMadeSubject } from "@/emails/decision-made";
import DelegationEndedEmail, { DelegationEndedEmailProps, delegationEndedSubject } from "@/emails/delegation-ended";
import DelegationStartedEmail, {
  DelegationStartedEmailProps,
  delegationStartedSubject,
} from "@/emails/delegation-started";
import EscalationEmail, { EscalationEmailProps, escalationSubject } from "@/emails/escalation";
import NewAdvisoryEmail, { NewAdvisoryEmailProps, newAdvisorySubject } from "@/emails/new-advisory";
import RequestApprovedEmail, { RequestApprovedEmailProps, requestApprovedSubject } from "@/emails/request-approved";
import RequestDeployedEmail, { RequestDeployedEmailProps, requestDeployedSubject } from "@/emails/request-deployed";
import RequestRejectedEmail, { RequestRejectedEmailProps, requestRejectedSubject } from "@/emails/request-rejected";
import DatasetChangedEmail, { DatasetChangedEmailProps, datasetChangedSubject } from "@/emails/dataset-changed";
import MonitoringAlertEmail, { MonitoringAlertEmailProps, monitoringAlertSubject } from "@/emails/monitoring-alert";
import RequestRevokedEmail, { RequestRevokedEmailProps, requestRevokedSubject } from "@/emails/request-revoked";
import RequestSubmittedEmail, { RequestSubmittedEmailProps, requestSubmittedSubject } from "@/emails/request-submitted";
import RequestUpdateEmail, { RequestUpdateEmailProps, requestUpdateSubject } from "@/emails/request-update";
import SignInEmail, { SignInEmailProps, signInSubject } from "@/emails/sign-in";
import SlaReminderEmail, { SlaReminderEmailProps, slaReminderSubject } from "@/emails/sla-reminder";
import StepWaitingEmail, { StepWaitingEmailProps, stepWaitingSubject } from "@/emails/step-waiting";
import WebhookDisabledEmail, { WebhookDisabledEmailProps, webhookDisabledSubject } from "@/emails/webhook-disabled";
import WeeklyInsightsEmail, { WeeklyInsightsEmailProps, weeklyInsightsSubject } from "@/emails/weekly-insights";
import { parseInput } from "../validation";
import type { NotificationEvent } from "./events";

// The registry of email templates: each names the event whose preference governs it, and has a props schema, a subject, a react-email component and
// the example props it is previewed with (npm run email:dev) and tested against.
type Template<S extends z.ZodType> = {
  /** Whose preference governs it; "other" is always sent at once, so it is a deliberate choice here. */
  event: NotificationEvent;
  props: S;
  subject: (props: z.output<S>) => string;
  element: (props: z.output<S>) => ReactElement;
  preview: z.input<S>;
};
const define = <S extends z.ZodType>(t: Template<S>) => t;

export const TEMPLATES = {
  "sign-in": define({
    event: "sign_in",
    props: SignInEmailProps,
    subject: signInSubject,
    element: (p) => <SignInEmail {...p} />,
    preview: SignInEmail.PreviewProps,
  }),
  "budget-alert": define({
    event: "budget_alert",
    props: BudgetAlertEmailProps,
    subject: budgetAlertSubject,
    element: (p) => <BudgetAlertEmail {...p} />,
    preview: BudgetAlertEmail.PreviewProps,
  }),
  "approved-at-submission": define({
    event: "request_outcome",
    props: ApprovedAtSubmissionEmailProps,
    subject: approvedAtSubmissionSubject,
    element: (p) => <ApprovedAtSubmissionEmail {...p} />,
    preview: ApprovedAtSubmissionEmail.PreviewProps,
  }),
  "request-deployed": define({
    event: "deployment_news",
    props: RequestDeployedEmailProps,
    subject: requestDeployedSubject,
    element: (p) => <RequestDeployedEmail {...p} />,
    preview: RequestDeployedEmail.PreviewProps,
  }),
  "approval-expired": define({
    event: "approval_expiry",
    props: ApprovalExpiredEmailProps,
    subject: approvalExpiredSubject,
    element: (p) => <ApprovalExpiredEmail {...p} />,
    preview: ApprovalExpiredEmail.PreviewProps,
  }),
  "package-decisions": define({
    // One email per review session, not per click (lib/security/tell-package-decisions.ts).
    event: "package_decisions",
    props: PackageDecisionsEmailProps,
    subject: packageDecisionsSubject,
    element: (p) => <PackageDecisionsEmail {...p} />,
    preview: PackageDecisionsEmail.PreviewProps,
  }),
  "policy-changed": define({
    event: "policy_changed",
    props: PolicyChangedEmailProps,
    subject: policyChangedSubject,
    element: (p) => <PolicyChangedEmail {...p} />,
    preview: PolicyChangedEmail.PreviewProps,
  }),
  "webhook-disabled": define({
    // An admin must know their pipelines went deaf: may wait for the digest, never switched off.
    event: "webhook_disabled",
    props: WebhookDisabledEmailProps,
    subject: webhookDisabledSubject,
    element: (p) => <WebhookDisabledEmail {...p} />,
    preview: WebhookDisabledEmail.PreviewProps,
  }),
  "monitoring-alert": define({
    // A live version misbehaves: its team and the ML leads should hear at once, but may batch it.
    event: "monitoring_alert",
    props: MonitoringAlertEmailProps,
    subject: monitoringAlertSubject,
    element: (p) => <MonitoringAlertEmail {...p} />,
    preview: MonitoringAlertEmail.PreviewProps,
  }),
  "dataset-changed": define({
    // A column a model was trained on now means something else: its people may batch the news.
    event: "dataset_changed",
    props: DatasetChangedEmailProps,
    subject: datasetChangedSubject,
    element: (p) => <DatasetChangedEmail {...p} />,
    preview: DatasetChangedEmail.PreviewProps,
  }),
  "request-update": define({
    event: "other",
    props: RequestUpdateEmailProps,
    subject: requestUpdateSubject,
    element: (p) => <RequestUpdateEmail {...p} />,
    preview: RequestUpdateEmail.PreviewProps,
  }),
  "request-submitted": define({
    event: "step_waiting",
    props: RequestSubmittedEmailProps,
    subject: requestSubmittedSubject,
    element: (p) => <RequestSubmittedEmail {...p} />,
    preview: RequestSubmittedEmail.PreviewProps,
  }),
  "step-waiting": define({
    event: "step_waiting",
    props: StepWaitingEmailProps,
    subject: stepWaitingSubject,
    element: (p) => <StepWaitingEmail {...p} />,
    preview: StepWaitingEmail.PreviewProps,
  }),
  "decision-made": define({
    event: "decision_made",
    props: DecisionMadeEmailProps,
    subject: decisionMadeSubject,
    element: (p) => <DecisionMadeEmail {...p} />,
    preview: DecisionMadeEmail.PreviewProps,
  }),
  "changes-requested": define({
    event: "request_outcome",
    props: ChangesRequestedEmailProps,
    subject: changesRequestedSubject,
    element: (p) => <ChangesRequestedEmail {...p} />,
    preview: ChangesRequestedEmail.PreviewProps,
  }),
  "request-approved": define({
    event: "request_outcome",
    props: RequestApprovedEmailProps,
    subject: requestApprovedSubject,
    element: (p) => <RequestApprovedEmail {...p} />,
    preview: RequestApprovedEmail.PreviewProps,
  }),
  "request-rejected": define({
    event: "request_outcome",
    props: RequestRejectedEmailProps,
    subject: requestRejectedSubject,
    element: (p) => <RequestRejectedEmail {...p} />,
    preview: RequestRejectedEmail.PreviewProps,
  }),
  "request-revoked": define({
    event: "request_outcome",
    props: RequestRevokedEmailProps,
    subject: requestRevokedSubject,
    element: (p) => <RequestRevokedEmail {...p} />,
    preview: RequestRevokedEmail.PreviewProps,
  }),
  "comment-mention": define({
    event: "comment_mention",
    props: CommentMentionEmailProps,
    subject: commentMentionSubject,
    element: (p) => <CommentMentionEmail {...p} />,
    preview: CommentMentionEmail.PreviewProps,
  }),
  "sla-reminder": define({
    event: "sla_reminder",
    props: SlaReminderEmailProps,
    subject: slaReminderSubject,
    element: (p) => <SlaReminderEmail {...p} />,
    preview: SlaReminderEmail.PreviewProps,
  }),
  escalation: define({
    event: "escalation",
    props: EscalationEmailProps,
    subject: escalationSubject,
    element: (p) => <EscalationEmail {...p} />,
    preview: EscalationEmail.PreviewProps,
  }),
  "delegation-started": define({
    event: "delegation_started",
    props: DelegationStartedEmailProps,
    subject: delegationStartedSubject,
    element: (p) => <DelegationStartedEmail {...p} />,
    preview: DelegationStartedEmail.PreviewProps,
  }),
  // Ending early is the same preference: whoever chose to hear about delegations hears that they end.
  "delegation-ended": define({
    event: "delegation_started",
    props: DelegationEndedEmailProps,
    subject: delegationEndedSubject,
    element: (p) => <DelegationEndedEmail {...p} />,
    preview: DelegationEndedEmail.PreviewProps,
  }),
  "daily-digest": define({
    event: "daily_digest",
    props: DailyDigestEmailProps,
    subject: dailyDigestSubject,
    element: (p) => <DailyDigestEmail {...p} />,
    preview: DailyDigestEmail.PreviewProps,
  }),
  // The requester's own request is at risk again, the same preference as a revocation.
  "new-advisory": define({
    event: "request_outcome",
    props: NewAdvisoryEmailProps,
    subject: newAdvisorySubject,
    element: (p) => <NewAdvisoryEmail {...p} />,
    preview: NewAdvisoryEmail.PreviewProps,
  }),
  "weekly-insights": define({
    event: "weekly_insights",
    props: WeeklyInsightsEmailProps,
    subject: weeklyInsightsSubject,
    element: (p) => <WeeklyInsightsEmail {...p} />,
    preview: WeeklyInsightsEmail.PreviewProps,
  }),
  "approval-expiring": define({
    event: "approval_expiry",
    props: ApprovalExpiringEmailProps,
    subject: approvalExpiringSubject,
    element: (p) => <ApprovalExpiringEmail {...p} />,
    preview: ApprovalExpiringEmail.PreviewProps,
  }),
};
export type TemplateName = keyof typeof TEMPLATES;
export type TemplateProps<N extends TemplateName> = z.input<(typeof TEMPLATES)[N]["props"]>;

/** The event whose preference governs a template's emails (named in the registry, never defaulted). */
export function eventOf(name: TemplateName): NotificationEvent {
  return TEMPLATES[name].event;
}

export function subjectFor<N extends TemplateName>(name: N, props: TemplateProps<N>): string {
  const t = TEMPLATES[name] as Template<z.ZodType>;
  return t.subject(parseInput(t.props, props));
}

export async function renderTemplate(name: string, payload: unknown): Promise<{ html: string; text: string }> {
  const t = (TEMPLATES as Record<string, Template<z.ZodType>>)[name];
  if (!t) throw new Error(`Unknown email template "${name}"`);
  const element = t.element(parseInput(t.props, payload));
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { html, text };
}
