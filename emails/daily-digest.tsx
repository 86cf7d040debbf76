import { Link, Section, Text } from "./components";
import { z } from "zod";
import { CONFIGURABLE_EVENTS, type NotificationEvent } from "../lib/notifications/events";
import { EmailLayout } from "./layout";
import { absoluteUrl, formatDay, formatWhen, isoTime, nonEmpty, Paragraph, requestNumber } from "./parts";

// One email a day holding everything a person chose to receive as a digest, grouped by kind so the
// work waiting for them comes first and the news about their own requests after.
type DigestEvent = Exclude<NotificationEvent, "sign_in" | "daily_digest">;
const DIGEST_EVENTS = [...CONFIGURABLE_EVENTS, "other"] as const satisfies readonly DigestEvent[];

// Keyed by every event, so a new kind of notification cannot reach a digest without a heading.
const HEADINGS: Record<DigestEvent, string> = {
  step_waiting: "Waiting for your decision",
  sla_reminder: "Overdue steps",
  escalation: "Escalations",
  comment_mention: "Mentions",
  decision_made: "Decisions on your requests",
  request_outcome: "Outcomes of your requests",
  approval_expiry: "Approvals about to expire or expired",
  deployment_news: "Deployments and rollbacks",
  package_decisions: "Decisions on your packages",
  policy_changed: "Policy changes",
  delegation_started: "Delegations to you",
  budget_alert: "Budget alerts",
  webhook_disabled: "Webhooks turned off",
  monitoring_alert: "Monitoring alerts",
  dataset_changed: "Dataset changes under your models",
  weekly_insights: "The week in figures",
  other: "Other updates",
};

const DigestItem = z.object({
  event: z.enum(DIGEST_EVENTS).default("other"),
  headline: nonEmpty,
  number: requestNumber.optional(),
  title: nonEmpty.optional(),
  url: absoluteUrl,
  at: isoTime,
});

export const DailyDigestEmailProps = z.object({
  recipientName: nonEmpty,
  /** The day the digest covers, YYYY-MM-DD. */
  date: z.iso.date({ error: "Give the digest's day as YYYY-MM-DD." }),
  items: z.array(DigestItem).min(1, "A digest holds at least one update."),
  settingsUrl: absoluteUrl,
});
export type DailyDigestEmailProps = z.input<typeof DailyDigestEmailProps>;
type Props = z.output<typeof DailyDigestEmailProps>;

const updates = (n: number) => `${n} update${n === 1 ? "" : "s"}`;

export const dailyDigestSubject = (p: Props) =>
  `Your Greenlight digest for ${formatDay(p.date)}: ${updates(p.items.length)}`;

function groups(items: Props["items"]) {
  return DIGEST_EVENTS.map((event) => ({
    event,
    items: items.filter((i) => i.event === event).sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
  })).filter((g) => g.items.length > 0);
}

export default function DailyDigestEmail(props: DailyDigestEmailProps) {
  const p = DailyDigestEmailProps.parse(props);
  return (
    <EmailLayout preview={`${updates(p.items.length)} for ${formatDay(p.date)}`}>
      <Text style={{ fontSize: 16, fontWeight: 600, color: "#111827", margin: "0 0 12px" }}>
        Your digest for {formatDay(p.date)}
      </Text>
      <Paragraph>
        Hello {p.recipientName}, here {p.items.length === 1 ? "is the update" : `are the ${updates(p.items.length)}`}{" "}
        you chose to receive once a day.
      </Paragraph>
      {groups(p.items).map((g) => (
        <Section key={g.event} style={{ margin: "16px 0 0" }}>
          <Text style={{ fontSize: 14, fontWeight: 700, color: "#111827", margin: "0 0 6px" }}>
            {HEADINGS[g.event]} ({g.items.length})
          </Text>
          {g.items.map((item, i) => (
            <Text key={i} style={{ fontSize: 14, color: "#374151", margin: "0 0 10px" }}>
              <Link href={item.url} style={{ color: "#166534", fontWeight: 600 }}>
                {item.headline}
              </Link>
              <br />
              <span style={{ fontSize: 12, color: "#4b5563" }}>
                {item.number ? `CR-${item.number}${item.title ? ` · ${item.title}` : ""} · ` : ""}
                {formatWhen(item.at)}
              </span>
            </Text>
          ))}
        </Section>
      ))}
      <Text style={{ fontSize: 12, color: "#4b5563", margin: "20px 0 0" }}>
        Want some of these as they happen instead? Change that in your{" "}
        <Link href={p.settingsUrl} style={{ color: "#166534" }}>
          notification settings
        </Link>
        .
      </Text>
    </EmailLayout>
  );
}

DailyDigestEmail.PreviewProps = {
  recipientName: "Maya Patel",
  date: "2026-11-12",
  items: [
    {
      event: "decision_made",
      headline: "Sam Okafor approved Security review",
      number: 1039,
      title: "Retrain churn-model on Q3 data",
      url: "http://localhost:3000/requests/1039",
      at: "2026-11-12T10:12:00.000Z",
    },
    {
      event: "step_waiting",
      headline: "Your approval is needed: Manager sign-off",
      number: 1042,
      title: "Deploy fraud-detector v3 to production",
      url: "http://localhost:3000/requests/1042",
      at: "2026-11-12T09:05:00.000Z",
    },
    {
      event: "comment_mention",
      headline: "Alice Moreau mentioned you",
      number: 1042,
      title: "Deploy fraud-detector v3 to production",
      url: "http://localhost:3000/requests/1042",
      at: "2026-11-12T11:40:00.000Z",
    },
    {
      event: "step_waiting",
      headline: "Your turn: Manager sign-off",
      number: 1044,
      title: "Provision 4 GPU nodes for ranking experiments",
      url: "http://localhost:3000/requests/1044",
      at: "2026-11-12T15:22:00.000Z",
    },
    {
      event: "budget_alert",
      headline: "Fraud: 80% of the Nov 2026 budget spent",
      url: "http://localhost:3000/budgets?team=fraud",
      at: "2026-11-12T17:00:00.000Z",
    },
  ],
  settingsUrl: "http://localhost:3000/settings",
} satisfies DailyDigestEmailProps;
