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

// A request reached a later stage of its chain and that stage is yours: the earlier approvers are done.
export const StepWaitingEmailProps = z.object({
  number: requestNumber,
  title: nonEmpty,
  requesterName: nonEmpty,
  stepName: nonEmpty,
  /** The step whose approval opened this stage. */
  completedStep: nonEmpty.optional(),
  dueAt: isoTime,
  /** What to judge without opening the app: version, amount and budget impact, packages (lib/requests/approver-facts.ts). */
  facts: ApproverFacts.default({ risks: [] }),
  url: absoluteUrl,
});
export type StepWaitingEmailProps = z.input<typeof StepWaitingEmailProps>;

export const stepWaitingSubject = (p: z.output<typeof StepWaitingEmailProps>) =>
  `[CR-${p.number}] Your turn: ${p.stepName}`;

export default function StepWaitingEmail(props: StepWaitingEmailProps) {
  const p = StepWaitingEmailProps.parse(props);
  const before = p.completedStep ? `${p.completedStep} is approved` : "The earlier steps are approved";
  return (
    <EmailLayout preview={`CR-${p.number}: ${p.stepName} is waiting for you`}>
      <RequestLine number={p.number} title={p.title} />
      <Headline>Your turn: {p.stepName}</Headline>
      <Paragraph>
        {before}, so the next stage of this request is open. You are one of the people who may decide it.
      </Paragraph>
      <Fact label="Requested by">{p.requesterName}</Fact>
      <Fact label="Step">{p.stepName}</Fact>
      <Fact label="Due by">{formatWhen(p.dueAt)}</Fact>
      <ApproverFactList facts={p.facts} />
      <Action href={p.url}>Review the request</Action>
    </EmailLayout>
  );
}

StepWaitingEmail.PreviewProps = {
  number: 1042,
  title: "Deploy fraud-detector v3 to production",
  requesterName: "Alice Moreau",
  stepName: "ML lead approval",
  completedStep: "Security review",
  dueAt: "2026-11-13T09:30:00.000Z",
  facts: { version: "fraud-detector v3", amount: "$12,000.00" },
  url: "http://localhost:3000/requests/1042#decide",
} satisfies StepWaitingEmailProps;
