import { z } from "zod";
import { EmailLayout } from "./layout";
import { absoluteUrl, Action, Fact, Headline, nonEmpty, Paragraph, Quote, RequestLine, requestNumber } from "./parts";

// To the requester, the people who approved the request and the team's managers: the change they
// filed, vouched for or pay for is live (or was taken back out). Environment and version are in the
// email, so nobody has to open the app to know what runs where.
export const RequestDeployedEmailProps = z.object({
  number: requestNumber,
  title: nonEmpty,
  what: z.enum(["deployed", "rolled_back"]),
  environment: nonEmpty,
  /** "fraud-detector v3": the version now live (deployed) or the one taken out (rolled back). */
  version: nonEmpty.optional(),
  /** Deployed: the version it replaced; rolled back: the version live again. */
  other: nonEmpty.optional(),
  byName: nonEmpty,
  /** Why the reader is told: their own request, their approval, or their team's. */
  reason: z.enum(["requester", "approver", "manager"]),
  note: nonEmpty.optional(),
  url: absoluteUrl,
});
export type RequestDeployedEmailProps = z.input<typeof RequestDeployedEmailProps>;
type Props = z.output<typeof RequestDeployedEmailProps>;

const headline = (p: Props) =>
  p.what === "deployed"
    ? `Deployed to ${p.environment}${p.version ? `: ${p.version}` : ""}`
    : `Rolled back in ${p.environment}${p.version ? `: ${p.version} taken out` : ""}`;

export const requestDeployedSubject = (p: Props) => `[CR-${p.number}] ${headline(p)}`;

const WHY: Record<Props["reason"], string> = {
  requester: "You filed this request.",
  approver: "You approved this request.",
  manager: "You manage the team this request belongs to.",
};

export default function RequestDeployedEmail(props: RequestDeployedEmailProps) {
  const p = RequestDeployedEmailProps.parse(props);
  return (
    <EmailLayout preview={`CR-${p.number}: ${headline(p)}`}>
      <RequestLine number={p.number} title={p.title} />
      <Headline>{headline(p)}</Headline>
      <Paragraph>
        {p.what === "deployed"
          ? `${p.byName} marked the approved change deployed.`
          : `${p.byName} rolled the change back.`}{" "}
        {WHY[p.reason]}
      </Paragraph>
      <Fact label="Environment">{p.environment}</Fact>
      {p.version && <Fact label={p.what === "deployed" ? "Now live" : "Taken out"}>{p.version}</Fact>}
      {p.other && <Fact label={p.what === "deployed" ? "Replaced" : "Live again"}>{p.other}</Fact>}
      {p.note && <Quote by={`${p.byName} wrote`}>{p.note}</Quote>}
      <Action href={p.url}>Open the request</Action>
    </EmailLayout>
  );
}

RequestDeployedEmail.PreviewProps = {
  number: 1042,
  title: "Deploy fraud-detector v3 to production",
  what: "deployed",
  environment: "production",
  version: "fraud-detector v3",
  other: "fraud-detector v2",
  byName: "Alice Moreau",
  reason: "approver",
  url: "http://localhost:3000/requests/1042",
} satisfies RequestDeployedEmailProps;
