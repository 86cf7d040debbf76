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
  nonEmpty,
  Paragraph,
  RequestLine,
  requestNumber,
} from "./parts";

// A step you may decide is past its SLA. Sent once per SLA period while it stays open (lib/approvals/chase.ts).
export const SlaReminderEmailProps = z.object({
  number: requestNumber,
  title: nonEmpty,
  stepName: nonEmpty,
  dueAt: isoTime,
  overdueHours: z.number().int().min(0),
  url: absoluteUrl,
});
export type SlaReminderEmailProps = z.input<typeof SlaReminderEmailProps>;
type Props = z.output<typeof SlaReminderEmailProps>;

// The first reminder goes out when the step falls due, when it is less than an hour late.
const lateness = (p: Props) => (p.overdueHours ? `${hours(p.overdueHours)} overdue` : "due now");

export const slaReminderSubject = (p: Props) => `[CR-${p.number}] Reminder: ${p.stepName} is ${lateness(p)}`;

export default function SlaReminderEmail(props: SlaReminderEmailProps) {
  const p = SlaReminderEmailProps.parse(props);
  return (
    <EmailLayout preview={`CR-${p.number}: ${p.stepName} is ${lateness(p)}`}>
      <RequestLine number={p.number} title={p.title} />
      <Headline>
        Reminder: {p.stepName} is {lateness(p)}
      </Headline>
      <Paragraph>
        This step is still waiting for a decision and you are one of the people who may make it. The requester cannot
        deploy until it is decided.
      </Paragraph>
      <Fact label="Step">{p.stepName}</Fact>
      <Fact label="Was due">{formatWhen(p.dueAt)}</Fact>
      <Action href={p.url}>Decide now</Action>
    </EmailLayout>
  );
}

SlaReminderEmail.PreviewProps = {
  number: 1042,
  title: "Deploy fraud-detector v3 to production",
  stepName: "Security review",
  dueAt: "2026-11-12T14:00:00.000Z",
  overdueHours: 6,
  url: "http://localhost:3000/requests/1042",
} satisfies SlaReminderEmailProps;
