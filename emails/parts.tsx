import { Button, Section, Text } from "./components";
import { Fragment, type ReactNode } from "react";
import { z } from "zod";
import { buttonStyle } from "./layout";

// Pieces the request emails share. Each renders as a block of its own, so the plain-text part
// (html-to-text) reads as short labelled lines rather than one run-on paragraph.

// A mail client has no base URL, and a link in an email must never run script or open a mailer:
// only absolute http(s) links, built by the caller from APP_URL.
export const absoluteUrl = z.url({ protocol: /^https?$/, error: "Give an absolute http(s) link built from APP_URL." });
// Times travel through the outbox as JSON, so as ISO strings.
export const isoTime = z.iso.datetime({ offset: true, error: "Give the time as an ISO 8601 string." });
export const requestNumber = z.number().int().positive();
export const nonEmpty = z.string().trim().min(1);

// Shown in UTC and said so: the outbox does not know the recipient's time zone.
const when = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const day = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
});
export const formatWhen = (iso: string) => `${when.format(new Date(iso))} UTC`;
export const formatDay = (isoDate: string) => day.format(new Date(isoDate));
export const hours = (n: number) => `${n} hour${n === 1 ? "" : "s"}`;

/** "A", "A and B", "A, B and C". */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

export function RequestLine({ number, title }: { number: number; title: string }) {
  return (
    <Text style={{ fontSize: 13, color: "#4b5563", margin: "0 0 4px" }}>
      CR-{number} · {title}
    </Text>
  );
}

export function Headline({ children }: { children: ReactNode }) {
  return <Text style={{ fontSize: 16, fontWeight: 600, color: "#111827", margin: "0 0 12px" }}>{children}</Text>;
}

export function Paragraph({ children }: { children: ReactNode }) {
  return <Text style={{ fontSize: 14, color: "#374151", margin: "0 0 12px" }}>{children}</Text>;
}

/** A labelled value; "Label: value" in the text part. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Text style={{ fontSize: 14, color: "#374151", margin: "0 0 4px" }}>
      <strong>{label}:</strong> {children}
    </Text>
  );
}

/** Someone's own words (a comment, a reason), attributed, with their line breaks kept. */
export function Quote({ by, children }: { by: string; children: string }) {
  const lines = children.split(/\r?\n/);
  return (
    <Section style={{ borderLeft: "3px solid #d1d5db", padding: "0 0 0 12px", margin: "12px 0 16px" }}>
      <Text style={{ fontSize: 13, color: "#4b5563", margin: "0 0 4px" }}>{by}:</Text>
      <Text style={{ fontSize: 14, color: "#111827", margin: 0 }}>
        {lines.map((line, i) => (
          <Fragment key={i}>
            {i > 0 && <br />}
            {line}
          </Fragment>
        ))}
      </Text>
    </Section>
  );
}

/** The one thing to do, on a line of its own (the text part shows the label and the full link). */
export function Action({ href, children }: { href: string; children: string }) {
  return (
    <Section style={{ margin: "16px 0 0" }}>
      <Button href={href} style={buttonStyle}>
        {children}
      </Button>
    </Section>
  );
}

/**
 * What an approver must know to decide from the email alone (issue 22): the version, the amount and,
 * for those who may see it, the budget impact; the manifest and its risks for the security team.
 */
export const ApproverFacts = z.object({
  version: nonEmpty.optional(),
  amount: nonEmpty.optional(),
  budget: nonEmpty.optional(),
  packages: nonEmpty.optional(),
  risks: z.array(nonEmpty).max(10).default([]),
});
export type ApproverFacts = z.input<typeof ApproverFacts>;

export function ApproverFactList({ facts }: { facts: z.output<typeof ApproverFacts> }) {
  return (
    <>
      {facts.version && <Fact label="Model version">{facts.version}</Fact>}
      {facts.amount && <Fact label="Amount asked">{facts.amount}</Fact>}
      {facts.budget && <Fact label="Budget impact">{facts.budget}</Fact>}
      {facts.packages && <Fact label="Packages">{facts.packages}</Fact>}
      {facts.risks.map((risk) => (
        <Fact key={risk} label="To look at">
          {risk}
        </Fact>
      ))}
    </>
  );
}
