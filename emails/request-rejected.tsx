import { z } from "zod";
import { EmailLayout } from "./layout";
import { absoluteUrl, Action, Headline, nonEmpty, Paragraph, Quote, RequestLine, requestNumber } from "./parts";

// To the requester: the request is closed for good (unlike "changes requested", it cannot be edited).
export const RequestRejectedEmailProps = z.object({
  number: requestNumber,
  title: nonEmpty,
  deciderName: nonEmpty,
  stepName: nonEmpty,
  comment: nonEmpty,
  url: absoluteUrl,
});
export type RequestRejectedEmailProps = z.input<typeof RequestRejectedEmailProps>;

export const requestRejectedSubject = (p: z.output<typeof RequestRejectedEmailProps>) =>
  `[CR-${p.number}] Rejected by ${p.deciderName}`;

export default function RequestRejectedEmail(props: RequestRejectedEmailProps) {
  const p = RequestRejectedEmailProps.parse(props);
  return (
    <EmailLayout preview={`CR-${p.number}: rejected by ${p.deciderName}`}>
      <RequestLine number={p.number} title={p.title} />
      <Headline>Rejected by {p.deciderName}</Headline>
      <Paragraph>
        {p.deciderName} rejected this request at {p.stepName}. The request is closed and the gate will not let it
        deploy.
      </Paragraph>
      <Quote by={`${p.deciderName} wrote`}>{p.comment}</Quote>
      <Paragraph>To try again, address the reason above and file a new request.</Paragraph>
      <Action href={p.url}>Open the request</Action>
    </EmailLayout>
  );
}

RequestRejectedEmail.PreviewProps = {
  number: 1042,
  title: "Deploy fraud-detector v3 to production",
  deciderName: "Sam Okafor",
  stepName: "Security review",
  comment: "The image pulls a typosquatted package (reqeusts 2.31.0). Remove it and rebuild.",
  url: "http://localhost:3000/requests/1042",
} satisfies RequestRejectedEmailProps;
