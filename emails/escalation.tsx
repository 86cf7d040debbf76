import { z } from "zod";
import { EmailLayout } from "./layout";
import {
  absoluteUrl,
  Action,
  Fact,
  formatWhen,
  Headline,
  hours,
  isoTime,
  listNames,
  nonEmpty,
  Paragraph,
  RequestLine,
  requestNumber,
} from "./parts";

// To a team's managers and the admins: a step has gone well past its SLA and reminders have not moved
// it. They can chase the approvers named here, or arrange cover when nobody is there to decide.
export const EscalationEmailProps = z.object({
  number: requestNumber,
  title: nonEmpty,
  stepName: nonEmpty,
  team: nonEmpty,
  openedAt: isoTime,
  slaHours: z.number().int().positive(),
  overdueHours: z.number().int().min(0),
  /** Everyone who may decide the step now (empty: nobody holds the role). */
  waitingOn: z.array(nonEmpty),
  url: absoluteUrl,
});
export type EscalationEmailProps = z.input<typeof EscalationEmailProps>;

export const escalationSubject = (p: z.output<typeof EscalationEmailProps>) =>
  `[CR-${p.number}] Escalation: ${p.stepName} for ${p.team} is ${hours(p.overdueHours)} overdue`;

export default function EscalationEmail(props: EscalationEmailProps) {
  const p = EscalationEmailProps.parse(props);
  return (
    <EmailLayout preview={`CR-${p.number}: ${p.stepName} is ${hours(p.overdueHours)} overdue`}>
      <RequestLine number={p.number} title={p.title} />
      <Headline>
        Escalation: {p.stepName} is {hours(p.overdueHours)} overdue
      </Headline>
      <Paragraph>
        A {p.team} request has waited on this step well past its SLA, and reminders to its approvers have not moved it.
      </Paragraph>
      <Fact label="Team">{p.team}</Fact>
      <Fact label="Step">{p.stepName}</Fact>
      <Fact label="Open since">{formatWhen(p.openedAt)}</Fact>
      <Fact label="SLA">{hours(p.slaHours)}</Fact>
      {p.waitingOn.length ? (
        <Fact label="Waiting on">{listNames(p.waitingOn)}</Fact>
      ) : (
        <Paragraph>
          Nobody can decide this step now: no active person holds its role. Give the role to someone, or ask an approver
          to delegate.
        </Paragraph>
      )}
      <Action href={p.url}>Open the request</Action>
    </EmailLayout>
  );
}

EscalationEmail.PreviewProps = {
  number: 1042,
  title: "Deploy fraud-detector v3 to production",
  stepName: "Security review",
  team: "Fraud",
  openedAt: "2026-11-10T14:00:00.000Z",
  slaHours: 48,
  overdueHours: 48,
  waitingOn: ["Sam Okafor", "Priya Nair"],
  url: "http://localhost:3000/requests/1042",
} satisfies EscalationEmailProps;
