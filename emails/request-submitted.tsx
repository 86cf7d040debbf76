import { z } from "zod";
import { EmailLayout } from "./layout";
import {
  absoluteUrl,
  Action,
  ApproverFactList,
  ApproverFacts,
  Fact,
  formatWhen,
  Headline,
  isoTime,
  nonEmpty,
  Paragraph,
  RequestLine,
  requestNumber,
} from "./parts";

// To the people who may decide the opened stage of a request. A revision that restarted the chain
// says so: an approval they gave the earlier revision no longer counts.
export const RequestSubmittedEmailProps = z.object({
  number: requestNumber,
  title: nonEmpty,
  requesterName: nonEmpty,
  stepName: nonEmpty,
  environment: nonEmpty,
  emergency: z.boolean().default(false),
  dueAt: isoTime,
  /** Set when the request changed after approvers had seen it (the chain was taken again). */
  revision: z.number().int().min(2).optional(),
  /** Steps that passed by themselves, with the reason as this recipient may read it (no budget figures unless they may see the budget). */
  passed: z.array(z.object({ step: nonEmpty, reason: nonEmpty })).default([]),
  /** What to judge without opening the app: version, amount and budget impact, packages (lib/requests/approver-facts.ts). */
  facts: ApproverFacts.default({ risks: [] }),
  url: absoluteUrl,
});
export type RequestSubmittedEmailProps = z.input<typeof RequestSubmittedEmailProps>;
type Props = z.output<typeof RequestSubmittedEmailProps>;

const headline = (p: Props) =>
  p.revision
    ? `Changed (revision ${p.revision}): your approval is needed again for ${p.stepName}`
    : `Your approval is needed: ${p.stepName}`;

export const requestSubmittedSubject = (p: Props) => `[CR-${p.number}] ${headline(p)}`;

export default function RequestSubmittedEmail(props: RequestSubmittedEmailProps) {
  const p = RequestSubmittedEmailProps.parse(props);
  return (
    <EmailLayout preview={`CR-${p.number}: ${headline(p)}`}>
      <RequestLine number={p.number} title={p.title} />
      <Headline>{headline(p)}</Headline>
      {p.revision ? (
        <Paragraph>
          {p.requesterName} changed this request after it went for approval. Approvals given to the earlier revision no
          longer count, so the chain starts again and your decision is needed on revision {p.revision}.
        </Paragraph>
      ) : (
        <Paragraph>
          {p.requesterName} submitted this request for approval. You are one of the people who may decide it.
        </Paragraph>
      )}
      <Fact label="Requested by">{p.requesterName}</Fact>
      <Fact label="Step">{p.stepName}</Fact>
      <Fact label="Environment">{p.emergency ? `${p.environment} (emergency change)` : p.environment}</Fact>
      <Fact label="Due by">{formatWhen(p.dueAt)}</Fact>
      <ApproverFactList facts={p.facts} />
      {p.passed.map((passed) => (
        <Fact key={passed.step} label={`Passed by itself: ${passed.step}`}>
          {passed.reason}
        </Fact>
      ))}
      <Action href={p.url}>Review the request</Action>
    </EmailLayout>
  );
}

RequestSubmittedEmail.PreviewProps = {
  number: 1042,
  title: "Deploy fraud-detector v3 to production",
  requesterName: "Alice Moreau",
  stepName: "Security review",
  environment: "production",
  dueAt: "2026-11-12T14:00:00.000Z",
  facts: {
    version: "fraud-detector v3",
    packages: "16 in requirements.txt; 3 need a decision.",
    risks: ["Malware: reqeusts-toolbelt", "High or critical vulnerabilities: urllib3 (GHSA-34jh-p97f-mpxf)"],
  },
  url: "http://localhost:3000/requests/1042/dependencies?show=pending",
} satisfies RequestSubmittedEmailProps;
