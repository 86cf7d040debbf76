import { z } from "zod";
import { EmailLayout } from "./layout";
import {
  absoluteUrl,
  Action,
  Fact,
  formatWhen,
  Headline,
  isoTime,
  nonEmpty,
  Paragraph,
  Quote,
  RequestLine,
  requestNumber,
} from "./parts";

// To the requester: the deployment gate is open. An approval lapses if not used, and an emergency
// change opened early still owes its retro-approvals, so both deadlines are spelled out.
export const RequestApprovedEmailProps = z.object({
  number: requestNumber,
  title: nonEmpty,
  deciderName: nonEmpty,
  stepName: nonEmpty,
  comment: nonEmpty.optional(),
  expiresAt: isoTime.optional(),
  /** Emergency changes: the gate opened on the ML lead's approval; the rest of the chain is due by then. */
  retroDueAt: isoTime.optional(),
  url: absoluteUrl,
});
export type RequestApprovedEmailProps = z.input<typeof RequestApprovedEmailProps>;
type Props = z.output<typeof RequestApprovedEmailProps>;

const headline = (p: Props) =>
  p.retroDueAt ? "Emergency change approved: the gate is open" : "Approved: you may deploy";

export const requestApprovedSubject = (p: Props) => `[CR-${p.number}] ${headline(p)}`;

export default function RequestApprovedEmail(props: RequestApprovedEmailProps) {
  const p = RequestApprovedEmailProps.parse(props);
  return (
    <EmailLayout preview={`CR-${p.number}: ${headline(p)}`}>
      <RequestLine number={p.number} title={p.title} />
      <Headline>{headline(p)}</Headline>
      <Paragraph>
        {p.deciderName} gave the approval the deployment gate was waiting for ({p.stepName}).
      </Paragraph>
      {p.comment && <Quote by={`${p.deciderName} wrote`}>{p.comment}</Quote>}
      {p.retroDueAt && (
        <>
          <Paragraph>
            The rest of the chain must still approve this change after the fact. If any step rejects it, the approval is
            revoked and the gate closes.
          </Paragraph>
          <Fact label="Retro-approval due by">{formatWhen(p.retroDueAt)}</Fact>
        </>
      )}
      {p.expiresAt && <Fact label="Deploy before">{formatWhen(p.expiresAt)} (the approval lapses after that)</Fact>}
      <Action href={p.url}>Open the request</Action>
    </EmailLayout>
  );
}

RequestApprovedEmail.PreviewProps = {
  number: 1042,
  title: "Deploy fraud-detector v3 to production",
  deciderName: "Lee Chen",
  stepName: "ML lead approval",
  comment: "Go ahead; watch the false-positive rate for the first hour.",
  expiresAt: "2026-11-27T16:45:00.000Z",
  url: "http://localhost:3000/requests/1042",
} satisfies RequestApprovedEmailProps;
