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
  RequestLine,
  requestNumber,
} from "./parts";

// To the requester, once, shortly before an unused approval lapses: after that the gate refuses the
// change and it needs approving all over again.
export const ApprovalExpiringEmailProps = z.object({
  number: requestNumber,
  title: nonEmpty,
  expiresAt: isoTime,
  url: absoluteUrl,
});
export type ApprovalExpiringEmailProps = z.input<typeof ApprovalExpiringEmailProps>;

export const approvalExpiringSubject = (p: z.output<typeof ApprovalExpiringEmailProps>) =>
  `[CR-${p.number}] Your approval expires ${formatWhen(p.expiresAt)}`;

export default function ApprovalExpiringEmail(props: ApprovalExpiringEmailProps) {
  const p = ApprovalExpiringEmailProps.parse(props);
  return (
    <EmailLayout preview={`CR-${p.number}: deploy before ${formatWhen(p.expiresAt)}`}>
      <RequestLine number={p.number} title={p.title} />
      <Headline>Your approval expires soon</Headline>
      <Paragraph>
        This request is approved but not deployed yet. Once the approval lapses the deployment gate refuses the change,
        and it has to be approved again through a new request.
      </Paragraph>
      <Fact label="Expires">{formatWhen(p.expiresAt)}</Fact>
      <Paragraph>Deploy before then, or withdraw the request if the change is no longer wanted.</Paragraph>
      <Action href={p.url}>Open the request</Action>
    </EmailLayout>
  );
}

ApprovalExpiringEmail.PreviewProps = {
  number: 1042,
  title: "Deploy fraud-detector v3 to production",
  expiresAt: "2026-11-27T16:45:00.000Z",
  url: "http://localhost:3000/requests/1042",
} satisfies ApprovalExpiringEmailProps;
