import { Section, Text } from "./components";
import { z } from "zod";
import { EmailLayout } from "./layout";
import { absoluteUrl, Action, Fact, Headline, listNames, nonEmpty, Paragraph, requestNumber } from "./parts";

/** Requests listed one by one in a requester's email; the count covers them all. */
export const LISTED_REQUESTS = 20;

const AffectedRequest = z.object({
  number: requestNumber,
  title: nonEmpty,
  /** What a new revision's chain would have that this one's has not, in words (lib/policies/dry-run.ts). */
  changes: z.array(nonEmpty).min(1).max(20),
});

// A policy changed. Admins hear what changed and how many requests in review it would route
// differently; each requester of such a request hears that their chain stays as it is, and what a
// revision would be given instead (a revision takes the chain again, under the policies of that day).
export const PolicyChangedEmailProps = z.discriminatedUnion("audience", [
  z.object({
    audience: z.literal("admin"),
    policies: z.array(nonEmpty).min(1).max(50),
    byName: nonEmpty,
    /** In-review requests whose chain the new policies would give differently. */
    affected: z.number().int().min(0),
    scanned: z.number().int().min(0),
    /** True when more requests were in review than were compared. */
    capped: z.boolean().default(false),
    url: absoluteUrl,
  }),
  z.object({
    audience: z.literal("requester"),
    policies: z.array(nonEmpty).min(1).max(50),
    byName: nonEmpty,
    requests: z.array(AffectedRequest).min(1).max(LISTED_REQUESTS),
    /** All of the reader's affected requests, listed or not. */
    affected: z.number().int().min(1),
    url: absoluteUrl,
  }),
]);
export type PolicyChangedEmailProps = z.input<typeof PolicyChangedEmailProps>;
type Props = z.output<typeof PolicyChangedEmailProps>;

const policyWord = (p: Props) => (p.policies.length === 1 ? `policy ${p.policies[0]}` : "approval policies");
const requestsWord = (n: number) => `${n} request${n === 1 ? "" : "s"}`;
const headline = (p: Props) =>
  p.audience === "admin"
    ? `The ${policyWord(p)} changed`
    : p.affected === 1
      ? `CR-${p.requests[0]!.number} keeps its approval chain`
      : `Your ${p.affected} requests keep their approval chains`;

export const policyChangedSubject = (p: Props) =>
  p.audience === "requester" && p.affected === 1
    ? `[CR-${p.requests[0]!.number}] A policy changed: your approval chain stays as it is`
    : p.audience === "requester"
      ? `A policy changed: your ${p.affected} requests keep their approval chains`
      : `Policy changed: ${listNames(p.policies)}`;

export default function PolicyChangedEmail(props: PolicyChangedEmailProps) {
  const p = PolicyChangedEmailProps.parse(props);
  return (
    <EmailLayout preview={headline(p)}>
      <Headline>{headline(p)}</Headline>
      {p.audience === "admin" ? (
        <>
          <Paragraph>
            {p.byName} changed {p.policies.length === 1 ? "this policy" : "these policies"}. Requests already in review
            keep the chain they were given; a request that is revised takes its chain again under the new policies.
          </Paragraph>
          <Fact label="Changed">{listNames(p.policies)}</Fact>
          <Fact label="In review now and routed differently on their next revision">
            {`${requestsWord(p.affected)} of ${p.scanned} compared${p.capped ? " (the most recent only)" : ""}`}
          </Fact>
          <Action href={p.url}>See the policies</Action>
        </>
      ) : (
        <>
          <Paragraph>
            {p.byName} changed the {policyWord(p)}. Nothing changes for the approvals already under way: the chain stays
            as it is. If you revise {p.affected === 1 ? "this request" : "one of these requests"}, the new policy
            applies to the new revision:
          </Paragraph>
          <Section style={{ margin: "0 0 12px" }}>
            {p.requests.map((r) => (
              <Text key={r.number} style={{ fontSize: 14, color: "#374151", margin: "0 0 6px" }}>
                <strong>
                  CR-{r.number} {r.title}:
                </strong>{" "}
                a revision {listNames(r.changes)}.
              </Text>
            ))}
            {p.affected > p.requests.length && (
              <Text style={{ fontSize: 14, color: "#374151", margin: "0 0 6px" }}>
                And {requestsWord(p.affected - p.requests.length)} more.
              </Text>
            )}
          </Section>
          <Action href={p.url}>{p.affected === 1 ? "Open the request" : "Open your requests"}</Action>
        </>
      )}
    </EmailLayout>
  );
}

PolicyChangedEmail.PreviewProps = {
  audience: "requester",
  policies: ["Production deployments"],
  byName: "Ada Lovelace",
  requests: [
    {
      number: 1042,
      title: "Deploy fraud-detector v3 to production",
      changes: ["adds Security review (security): stage 1, 1 needed"],
    },
  ],
  affected: 1,
  url: "http://localhost:3000/requests/1042",
} satisfies PolicyChangedEmailProps;
