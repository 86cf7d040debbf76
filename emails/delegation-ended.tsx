import { z } from "zod";
import { EmailLayout } from "./layout";
import { absoluteUrl, Action, Fact, formatWhen, Headline, isoTime, nonEmpty, Paragraph } from "./parts";

// A delegation ended before its time: to the delegate (their cover is over) and, when someone else
// ended it, to the delegator (their steps are theirs alone again).
export const DelegationEndedEmailProps = z.object({
  /** Who this email is for: the person who received the delegation, or the one who gave it. */
  recipient: z.enum(["delegate", "delegator"]),
  delegatorName: nonEmpty,
  delegateName: nonEmpty,
  endedByName: nonEmpty,
  /** When it was ended, and when it would have ended. */
  endedAt: isoTime,
  plannedEnd: isoTime,
  /** What it covered when limited to a role or a team; empty: everything. */
  scope: z.string().trim().default(""),
  /** The recipient's settings page, where their delegations are listed. */
  url: absoluteUrl,
});
export type DelegationEndedEmailProps = z.input<typeof DelegationEndedEmailProps>;
type Props = z.output<typeof DelegationEndedEmailProps>;

const headline = (p: Props) =>
  p.recipient === "delegate"
    ? `${p.delegatorName}'s delegation to you has ended`
    : `Your delegation to ${p.delegateName} has ended`;

export const delegationEndedSubject = (p: Props) => headline(p);

export default function DelegationEndedEmail(props: DelegationEndedEmailProps) {
  const p = DelegationEndedEmailProps.parse(props);
  return (
    <EmailLayout preview={`${headline(p)} (ended by ${p.endedByName})`}>
      <Headline>{headline(p)}</Headline>
      {p.recipient === "delegate" ? (
        <Paragraph>
          You can no longer decide approval steps for {p.delegatorName}: their steps have left your inbox, and any
          decision you make from now on is yours alone.
        </Paragraph>
      ) : (
        <Paragraph>
          {p.delegateName} can no longer decide approval steps for you: your steps are yours alone again and appear only
          in your own inbox.
        </Paragraph>
      )}
      <Fact label="Ended by">{p.endedByName}</Fact>
      <Fact label="Ended">{formatWhen(p.endedAt)}</Fact>
      <Fact label="It was to run until">{formatWhen(p.plannedEnd)}</Fact>
      {p.scope && <Fact label="It covered">{p.scope}</Fact>}
      <Action href={p.url}>See your delegations</Action>
    </EmailLayout>
  );
}

DelegationEndedEmail.PreviewProps = {
  recipient: "delegate",
  delegatorName: "Maya Patel",
  delegateName: "Sam Okafor",
  endedByName: "Maya Patel",
  endedAt: "2026-11-20T09:30:00.000Z",
  plannedEnd: "2026-11-27T18:00:00.000Z",
  scope: "Manager steps, Fraud requests only",
  url: "http://localhost:3000/settings",
} satisfies DelegationEndedEmailProps;
