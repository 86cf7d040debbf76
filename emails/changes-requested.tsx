import { z } from "zod";
import { EmailLayout } from "./layout";
import { absoluteUrl, Action, Headline, nonEmpty, Paragraph, Quote, RequestLine, requestNumber } from "./parts";

// To the requester: an approver sent the request back. It is editable again and goes through the
// chain afresh when resubmitted, so the email says what was asked and where to make the change.
export const ChangesRequestedEmailProps = z.object({
  number: requestNumber,
  title: nonEmpty,
  deciderName: nonEmpty,
  stepName: nonEmpty,
  comment: nonEmpty,
  url: absoluteUrl,
});
export type ChangesRequestedEmailProps = z.input<typeof ChangesRequestedEmailProps>;

export const changesRequestedSubject = (p: z.output<typeof ChangesRequestedEmailProps>) =>
  `[CR-${p.number}] ${p.deciderName} asked for changes`;

export default function ChangesRequestedEmail(props: ChangesRequestedEmailProps) {
  const p = ChangesRequestedEmailProps.parse(props);
  return (
    <EmailLayout preview={`CR-${p.number}: ${p.deciderName} asked for changes`}>
      <RequestLine number={p.number} title={p.title} />
      <Headline>{p.deciderName} asked for changes</Headline>
      <Paragraph>The request stopped at {p.stepName} and is back with you.</Paragraph>
      <Quote by={`${p.deciderName} wrote`}>{p.comment}</Quote>
      <Paragraph>
        Edit the request and submit it again: it then goes through the approval chain from the start, as a new revision.
      </Paragraph>
      <Action href={p.url}>Edit the request</Action>
    </EmailLayout>
  );
}

ChangesRequestedEmail.PreviewProps = {
  number: 1042,
  title: "Deploy fraud-detector v3 to production",
  deciderName: "Maya Patel",
  stepName: "Manager sign-off",
  comment: "Please attach the shadow-traffic results from last week.\nThe rollback plan also needs an owner.",
  url: "http://localhost:3000/requests/1042",
} satisfies ChangesRequestedEmailProps;
