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

// To the requester: the approval lapsed before anyone deployed; the gate now says no.
export const ApprovalExpiredEmailProps = z.object({
  number: requestNumber,
  title: nonEmpty,
  environment: nonEmpty,
  version: nonEmpty.optional(),
  expiredAt: isoTime,
  url: absoluteUrl,
});
export type ApprovalExpiredEmailProps = z.input<typeof ApprovalExpiredEmailProps>;

export const approvalExpiredSubject = (p: z.output<typeof ApprovalExpiredEmailProps>) =>
  `[CR-${p.number}] Approval expired unused: the gate is closed`;

export default function ApprovalExpiredEmail(props: ApprovalExpiredEmailProps) {
  const p = ApprovalExpiredEmailProps.parse(props);
  return (
    <EmailLayout preview={approvalExpiredSubject(p)}>
      <RequestLine number={p.number} title={p.title} />
      <Headline>Your approval expired before it was used</Headline>
      <Paragraph>
        Nothing was marked deployed by {formatWhen(p.expiredAt)}, so the approval lapsed and the deployment gate now
        refuses this change. To ship it, edit the request and submit it again: it goes through its chain anew.
      </Paragraph>
      <Fact label="Environment">{p.environment}</Fact>
      {p.version && <Fact label="Version">{p.version}</Fact>}
      <Action href={p.url}>Open the request</Action>
    </EmailLayout>
  );
}

ApprovalExpiredEmail.PreviewProps = {
  number: 1042,
  title: "Deploy fraud-detector v3 to production",
  environment: "production",
  version: "fraud-detector v3",
  expiredAt: "2026-11-26T09:00:00.000Z",
  url: "http://localhost:3000/requests/1042",
} satisfies ApprovalExpiredEmailProps;
