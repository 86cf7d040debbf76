import { z } from "zod";
import { EmailLayout } from "./layout";
import { absoluteUrl, Action, Fact, formatWhen, Headline, isoTime, nonEmpty, Paragraph, Quote } from "./parts";

// To the delegate: someone's approval steps will show up in your inbox for a while (holiday cover),
// and decisions you make on them are recorded as made on their behalf.
export const DelegationStartedEmailProps = z.object({
  delegatorName: nonEmpty,
  startsAt: isoTime,
  endsAt: isoTime,
  reason: z.string().trim().default(""),
  /** What it covers when limited to a role or a team ("Manager steps, Fraud requests only"); empty: everything. */
  scope: z.string().trim().default(""),
  /** The delegate's inbox. */
  url: absoluteUrl,
});
export type DelegationStartedEmailProps = z.input<typeof DelegationStartedEmailProps>;

export const delegationStartedSubject = (p: z.output<typeof DelegationStartedEmailProps>) =>
  `${p.delegatorName} has delegated their approvals to you`;

export default function DelegationStartedEmail(props: DelegationStartedEmailProps) {
  const p = DelegationStartedEmailProps.parse(props);
  return (
    <EmailLayout preview={`You cover ${p.delegatorName}'s approvals until ${formatWhen(p.endsAt)}`}>
      <Headline>{p.delegatorName} has delegated their approvals to you</Headline>
      <Paragraph>
        For the period below you may decide the approval steps {p.delegatorName} could decide. They appear in your
        inbox, and each decision you make on them is recorded as made on {p.delegatorName}&apos;s behalf.
      </Paragraph>
      <Fact label="From">{formatWhen(p.startsAt)}</Fact>
      <Fact label="Until">{formatWhen(p.endsAt)}</Fact>
      {p.scope && <Fact label="Covers only">{p.scope}</Fact>}
      {p.reason && <Quote by={`${p.delegatorName} wrote`}>{p.reason}</Quote>}
      <Action href={p.url}>Open your inbox</Action>
    </EmailLayout>
  );
}

DelegationStartedEmail.PreviewProps = {
  delegatorName: "Maya Patel",
  startsAt: "2026-11-16T08:00:00.000Z",
  endsAt: "2026-11-27T18:00:00.000Z",
  reason: "On leave; please cover Fraud manager sign-offs.",
  url: "http://localhost:3000/inbox",
} satisfies DelegationStartedEmailProps;
