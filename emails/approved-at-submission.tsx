import { z } from "zod";
import { EmailLayout } from "./layout";
import {
  absoluteUrl,
  Action,
  formatWhen,
  Headline,
  isoTime,
  nonEmpty,
  Paragraph,
  RequestLine,
  requestNumber,
} from "./parts";

// To the requester: every step passed by itself when the request was submitted, so it is approved
// with no one to wait for; the reasons the policy recorded are listed so the requester can trust it.
export const ApprovedAtSubmissionEmailProps = z.object({
  number: requestNumber,
  title: nonEmpty,
  passed: z.array(z.object({ step: nonEmpty, reason: nonEmpty })).min(1),
  expiresAt: isoTime.optional(),
  url: absoluteUrl,
});
export type ApprovedAtSubmissionEmailProps = z.input<typeof ApprovedAtSubmissionEmailProps>;

export const approvedAtSubmissionSubject = (p: z.output<typeof ApprovedAtSubmissionEmailProps>) =>
  `[CR-${p.number}] Approved at submission: you may deploy`;

export default function ApprovedAtSubmissionEmail(props: ApprovedAtSubmissionEmailProps) {
  const p = ApprovedAtSubmissionEmailProps.parse(props);
  return (
    <EmailLayout preview={approvedAtSubmissionSubject(p)}>
      <RequestLine number={p.number} title={p.title} />
      <Headline>Approved at submission: you may deploy</Headline>
      <Paragraph>Every step of this request&apos;s chain passed by itself, so nobody needs to decide:</Paragraph>
      {p.passed.map((s) => (
        <Paragraph key={s.step}>
          {s.step}: {s.reason}
        </Paragraph>
      ))}
      {p.expiresAt && (
        <Paragraph>The approval lapses if the change is not deployed by {formatWhen(p.expiresAt)}.</Paragraph>
      )}
      <Action href={p.url}>Open the request</Action>
    </EmailLayout>
  );
}

ApprovedAtSubmissionEmail.PreviewProps = {
  number: 1042,
  title: "Deploy fraud-detector v3 to staging",
  passed: [
    { step: "ML lead review", reason: "Low-risk change to a non-production environment." },
    { step: "Budget sign-off", reason: "No cost: nothing to approve." },
  ],
  expiresAt: "2026-12-17T09:00:00.000Z",
  url: "http://localhost:3000/requests/1042",
} satisfies ApprovedAtSubmissionEmailProps;
