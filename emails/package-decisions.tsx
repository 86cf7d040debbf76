import { Section, Text } from "./components";
import { z } from "zod";
import { EmailLayout } from "./layout";
import { absoluteUrl, Action, Fact, Headline, nonEmpty, Paragraph, RequestLine, requestNumber } from "./parts";

/** At most this many decisions are listed one by one; the counts cover them all. */
export const LISTED_DECISIONS = 50;

const PackageDecision = z.object({
  name: nonEmpty,
  version: nonEmpty.optional(),
  decision: z.enum(["approved", "rejected"]),
  reason: nonEmpty,
});

// To the requester: the security team's decisions on packages of their request, one email per
// review session (decisions made within a few quiet minutes of each other), with each reason.
export const PackageDecisionsEmailProps = z.object({
  number: requestNumber,
  title: nonEmpty,
  deciderNames: z.array(nonEmpty).min(1),
  approved: z.number().int().min(0),
  rejected: z.number().int().min(0),
  /** Rejected first: they are what the requester must act on. */
  decisions: z.array(PackageDecision).min(1).max(LISTED_DECISIONS),
  /** Packages of the current manifest still waiting for a decision. */
  pending: z.number().int().min(0),
  url: absoluteUrl,
});
export type PackageDecisionsEmailProps = z.input<typeof PackageDecisionsEmailProps>;
type Props = z.output<typeof PackageDecisionsEmailProps>;

const packages = (n: number) => `${n} package${n === 1 ? "" : "s"}`;
const headline = (p: Props) =>
  p.rejected
    ? `Security rejected ${packages(p.rejected)}${p.approved ? ` and approved ${p.approved}` : ""}`
    : `Security approved ${packages(p.approved)}`;

export const packageDecisionsSubject = (p: Props) => `[CR-${p.number}] ${headline(p)}`;

export default function PackageDecisionsEmail(props: PackageDecisionsEmailProps) {
  const p = PackageDecisionsEmailProps.parse(props);
  const unlisted = p.approved + p.rejected - p.decisions.length;
  return (
    <EmailLayout preview={`CR-${p.number}: ${headline(p)}`}>
      <RequestLine number={p.number} title={p.title} />
      <Headline>{headline(p)}</Headline>
      <Paragraph>
        {p.rejected
          ? "A rejected package cannot ship with this request: replace or remove it and upload the manifest again, or ask the security team why."
          : "Approved packages are on the allowlist: they will not be reviewed again while the entry lasts."}
      </Paragraph>
      <Fact label="Decided by">{p.deciderNames.join(", ")}</Fact>
      <Fact label="Still waiting for a decision">{packages(p.pending)}</Fact>
      <Section style={{ margin: "12px 0 0" }}>
        {p.decisions.map((d) => (
          <Text key={`${d.name}@${d.version ?? ""}`} style={{ fontSize: 14, color: "#374151", margin: "0 0 6px" }}>
            <strong>
              {d.decision === "rejected" ? "Rejected" : "Approved"}: {d.name}
              {d.version ? ` ${d.version}` : ""}
            </strong>{" "}
            ({d.reason})
          </Text>
        ))}
        {unlisted > 0 && (
          <Text style={{ fontSize: 14, color: "#374151", margin: "0 0 6px" }}>
            And {packages(unlisted)} more, listed on the request&apos;s dependencies page.
          </Text>
        )}
      </Section>
      <Action href={p.url}>See the packages</Action>
    </EmailLayout>
  );
}

PackageDecisionsEmail.PreviewProps = {
  number: 1042,
  title: "Deploy fraud-detector v3 to production",
  deciderNames: ["Sam Okafor"],
  approved: 2,
  rejected: 1,
  decisions: [
    {
      name: "reqeusts",
      version: "2.31.0",
      decision: "rejected",
      reason: "Typosquat of requests with a malware record.",
    },
    { name: "numpy", version: "1.26.4", decision: "approved", reason: "Widely used; no open advisories." },
    { name: "pandas", version: "2.2.0", decision: "approved", reason: "Widely used; no open advisories." },
  ],
  pending: 13,
  url: "http://localhost:3000/requests/1042/dependencies",
} satisfies PackageDecisionsEmailProps;
