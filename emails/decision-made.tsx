import { z } from "zod";
import { EmailLayout } from "./layout";
import {
  absoluteUrl,
  Action,
  Headline,
  listNames,
  nonEmpty,
  Paragraph,
  Quote,
  RequestLine,
  requestNumber,
} from "./parts";
import { DECISION_LABELS } from "@/lib/labels";

// To the requester: a decision on one step that leaves the request where it was (in review, or an
// emergency change still collecting its retro-approvals). Outcomes have their own templates.
export const DecisionMadeEmailProps = z.object({
  number: requestNumber,
  title: nonEmpty,
  deciderName: nonEmpty,
  /** The person whose approval was used, when the decider acted as their delegate. */
  onBehalfOf: nonEmpty.optional(),
  decision: z.enum(["approve", "reject", "request_changes"]),
  stepName: nonEmpty,
  approvals: z.number().int().min(0),
  quorum: z.number().int().positive(),
  /** Steps still pending after this decision. */
  remaining: z.array(nonEmpty).default([]),
  comment: nonEmpty.optional(),
  url: absoluteUrl,
});
export type DecisionMadeEmailProps = z.input<typeof DecisionMadeEmailProps>;
type Props = z.output<typeof DecisionMadeEmailProps>;

const headline = (p: Props) => `${p.deciderName} ${DECISION_LABELS[p.decision].didStep} ${p.stepName}`;

export const decisionMadeSubject = (p: Props) => `[CR-${p.number}] ${headline(p)}`;

export default function DecisionMadeEmail(props: DecisionMadeEmailProps) {
  const p = DecisionMadeEmailProps.parse(props);
  const step =
    p.approvals >= p.quorum
      ? `${p.stepName} is complete.`
      : `${p.stepName} has ${p.approvals} of the ${p.quorum} approvals it needs.`;
  const next = p.remaining.length
    ? `Still waiting on: ${listNames(p.remaining)}.`
    : "Every step of the chain is now approved.";
  return (
    <EmailLayout preview={`CR-${p.number}: ${headline(p)}`}>
      <RequestLine number={p.number} title={p.title} />
      <Headline>{headline(p)}</Headline>
      {p.onBehalfOf && (
        <Paragraph>
          {p.deciderName} decided as the delegate of {p.onBehalfOf}.
        </Paragraph>
      )}
      <Paragraph>
        {step} {next}
      </Paragraph>
      {p.comment && <Quote by={`${p.deciderName} wrote`}>{p.comment}</Quote>}
      <Action href={p.url}>Open the request</Action>
    </EmailLayout>
  );
}

DecisionMadeEmail.PreviewProps = {
  number: 1042,
  title: "Deploy fraud-detector v3 to production",
  deciderName: "Sam Okafor",
  decision: "approve",
  stepName: "Security review",
  approvals: 1,
  quorum: 1,
  remaining: ["Manager sign-off", "ML lead approval"],
  comment: "Dependencies are clean; the new feature store client is on the allowlist.",
  url: "http://localhost:3000/requests/1042",
} satisfies DecisionMadeEmailProps;
