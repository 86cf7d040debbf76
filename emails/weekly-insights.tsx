import { Link, Text } from "./components";
import { z } from "zod";
import { EmailLayout } from "./layout";
import { absoluteUrl, Action, Fact, formatDay, Headline, nonEmpty, Paragraph } from "./parts";

// Monday's look back at the week for admins and ML leads: the headline figures of the Insights page
// and the bottleneck, so the queue is seen even by those who never open the page.
export const WeeklyInsightsEmailProps = z.object({
  recipientName: nonEmpty,
  /** The week covered, YYYY-MM-DD, both days included. */
  from: z.iso.date(),
  to: z.iso.date(),
  /** "Security review holds 61% of waiting time; median 2.1 days." or null when nobody waited. */
  bottleneck: nonEmpty.nullable(),
  leadTime: nonEmpty,
  waitingNow: nonEmpty,
  autoPass: nonEmpty,
  sla: nonEmpty,
  rework: nonEmpty,
  url: absoluteUrl,
  settingsUrl: absoluteUrl,
});
export type WeeklyInsightsEmailProps = z.input<typeof WeeklyInsightsEmailProps>;
type Props = z.output<typeof WeeklyInsightsEmailProps>;

export const weeklyInsightsSubject = (p: Props) =>
  p.bottleneck
    ? `Greenlight week of ${formatDay(p.from)}: ${p.bottleneck.replace(/\.$/, "")}`
    : `Greenlight week of ${formatDay(p.from)}: nobody waited on a step`;

export default function WeeklyInsightsEmail(props: WeeklyInsightsEmailProps) {
  const p = WeeklyInsightsEmailProps.parse(props);
  return (
    <EmailLayout preview={p.bottleneck ?? "No step waited this week."}>
      <Headline>
        The week of {formatDay(p.from)} to {formatDay(p.to)}
      </Headline>
      <Paragraph>
        Hello {p.recipientName}, here is where change requests waited last week.{" "}
        {p.bottleneck ? `Bottleneck: ${p.bottleneck}` : "No step waited for a decision: no bottleneck to name."}
      </Paragraph>
      <Fact label="Lead time">{p.leadTime}</Fact>
      <Fact label="Waiting now">{p.waitingNow}</Fact>
      <Fact label="Passed automatically">{p.autoPass}</Fact>
      <Fact label="SLA">{p.sla}</Fact>
      <Fact label="Rework">{p.rework}</Fact>
      <Action href={p.url}>Open Insights</Action>
      <Text style={{ fontSize: 12, color: "#6b7280", margin: "16px 0 0" }}>
        You get this because you are an admin or an ML lead.{" "}
        <Link href={p.settingsUrl} style={{ color: "#166534" }}>
          Choose which emails you get
        </Link>
        .
      </Text>
    </EmailLayout>
  );
}

WeeklyInsightsEmail.PreviewProps = {
  recipientName: "Lee Chen",
  from: "2026-11-23",
  to: "2026-11-29",
  bottleneck: "Security review holds 61% of waiting time; median 2.1 days.",
  leadTime: "median 3.4 days from submission to approval (14 of 19 requests approved); p90 6.0 days",
  waitingNow: "7 steps, the oldest for 4.2 days",
  autoPass: "9 steps passed by themselves, about 1.8 days of approver time saved (estimate)",
  sla: "4 breaches of 41 steps; 6 reminders, 1 escalation",
  rework: "3 requests sent back for changes; 2 approvals reset by edits",
  url: "http://localhost:3000/insights?from=2026-11-23&to=2026-11-29",
  settingsUrl: "http://localhost:3000/settings/notifications",
} satisfies WeeklyInsightsEmailProps;
