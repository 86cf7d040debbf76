import { z } from "zod";
import { EmailLayout } from "./layout";
import { absoluteUrl, Action, Headline, nonEmpty, Paragraph, Quote, RequestLine, requestNumber } from "./parts";

// To the requester: an approval was withdrawn after the fact (a problem found late, or an emergency
// change whose retro-approval was rejected). The gate closes at once, which they must know now.
export const RequestRevokedEmailProps = z.object({
  number: requestNumber,
  title: nonEmpty,
  revokedBy: nonEmpty,
  reason: nonEmpty,
  /** Set when the revocation is a rejected retro-approval of an emergency change. */
  stepName: nonEmpty.optional(),
  url: absoluteUrl,
});
export type RequestRevokedEmailProps = z.input<typeof RequestRevokedEmailProps>;

export const requestRevokedSubject = (p: z.output<typeof RequestRevokedEmailProps>) =>
  `[CR-${p.number}] Approval revoked by ${p.revokedBy}: the gate is closed`;

export default function RequestRevokedEmail(props: RequestRevokedEmailProps) {
  const p = RequestRevokedEmailProps.parse(props);
  return (
    <EmailLayout preview={`CR-${p.number}: approval revoked, the gate is closed`}>
      <RequestLine number={p.number} title={p.title} />
      <Headline>Approval revoked: the gate is closed</Headline>
      <Paragraph>
        {p.stepName
          ? `${p.revokedBy} rejected the retro-approval (${p.stepName}) of this emergency change, so its approval is revoked.`
          : `${p.revokedBy} revoked the approval of this request.`}{" "}
        The deployment gate now refuses this change. It stops new deployments only: a version already deployed keeps
        running until it is rolled back.
      </Paragraph>
      <Quote by={`${p.revokedBy} wrote`}>{p.reason}</Quote>
      <Action href={p.url}>Open the request</Action>
    </EmailLayout>
  );
}

RequestRevokedEmail.PreviewProps = {
  number: 1042,
  title: "Deploy fraud-detector v3 to production",
  revokedBy: "Lee Chen",
  reason: "The training set included customer records that had opted out. Pull this version until it is retrained.",
  url: "http://localhost:3000/requests/1042",
} satisfies RequestRevokedEmailProps;
