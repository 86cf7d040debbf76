import { z } from "zod";
import { EmailLayout } from "./layout";
import {
  absoluteUrl,
  Action,
  Fact,
  Headline,
  listNames,
  nonEmpty,
  Paragraph,
  RequestLine,
  requestNumber,
} from "./parts";

// To the requester and the security team: an advisory imported after the review matches a package on
// a request already in review, approved or deployed (lib/security/recheck-manifests.ts).
export const NewAdvisoryEmailProps = z.object({
  number: requestNumber,
  title: nonEmpty,
  advisoryIds: z.array(nonEmpty).min(1),
  packages: z.array(nonEmpty).min(1),
  severity: nonEmpty,
  /** The request's state, environment and version: "deployed in production: fraud-detector v3". */
  where: nonEmpty.optional(),
  url: absoluteUrl,
});
export type NewAdvisoryEmailProps = z.input<typeof NewAdvisoryEmailProps>;

export const newAdvisorySubject = (p: z.output<typeof NewAdvisoryEmailProps>) =>
  `[CR-${p.number}] New ${p.severity} advisory: ${listNames(p.packages)}`;

export default function NewAdvisoryEmail(props: NewAdvisoryEmailProps) {
  const p = NewAdvisoryEmailProps.parse(props);
  return (
    <EmailLayout preview={`CR-${p.number}: a new ${p.severity} advisory matches its dependencies`}>
      <RequestLine number={p.number} title={p.title} />
      <Headline>New {p.severity} advisory on a reviewed request</Headline>
      <Paragraph>
        An advisory imported after this request was reviewed matches its dependencies. The security team will look at
        it; the request is on their queue.
      </Paragraph>
      {p.where && <Fact label="Request">{p.where}</Fact>}
      <Fact label="Advisories">{p.advisoryIds.join(", ")}</Fact>
      <Fact label="Packages">{listNames(p.packages)}</Fact>
      <Action href={p.url}>Open the request</Action>
    </EmailLayout>
  );
}

NewAdvisoryEmail.PreviewProps = {
  number: 1042,
  title: "Deploy fraud-detector v3 to production",
  advisoryIds: ["GHSA-9wx4-h78v-vm56"],
  packages: ["requests"],
  severity: "high",
  where: "deployed in production: fraud-detector v3",
  url: "http://localhost:3000/requests/1042/dependencies",
} satisfies NewAdvisoryEmailProps;
