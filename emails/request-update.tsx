import { Button, Text } from "./components";
import { z } from "zod";
import { buttonStyle, EmailLayout } from "./layout";

// One template for everything that happens to a change request: who needs to act, and what changed.
export const RequestUpdateEmailProps = z.object({
  number: z.number().int().positive(),
  title: z.string().min(1),
  headline: z.string().min(1),
  body: z.string().default(""),
  url: z.url(),
  actionLabel: z.string().default("Open the request"),
});
export type RequestUpdateEmailProps = z.input<typeof RequestUpdateEmailProps>;

export const requestUpdateSubject = (p: z.output<typeof RequestUpdateEmailProps>) => `[CR-${p.number}] ${p.headline}`;

export default function RequestUpdateEmail(props: RequestUpdateEmailProps) {
  const p = RequestUpdateEmailProps.parse(props);
  return (
    <EmailLayout preview={`CR-${p.number}: ${p.headline}`}>
      <Text style={{ fontSize: 13, color: "#4b5563", margin: "0 0 4px" }}>
        CR-{p.number} · {p.title}
      </Text>
      <Text style={{ fontSize: 16, fontWeight: 600, color: "#111827", margin: "0 0 12px" }}>{p.headline}</Text>
      {p.body && (
        <Text style={{ fontSize: 14, color: "#374151", margin: "0 0 16px", whiteSpace: "pre-wrap" }}>{p.body}</Text>
      )}
      <Button href={p.url} style={buttonStyle}>
        {p.actionLabel}
      </Button>
    </EmailLayout>
  );
}

RequestUpdateEmail.PreviewProps = {
  number: 1042,
  title: "Deploy fraud-detector v3 to production",
  headline: "Your approval is needed: Security review",
  body: "Alice Moreau submitted this request. Security review is due within 48 hours.",
  url: "http://localhost:3000/requests/1042",
  actionLabel: "Review the request",
} satisfies RequestUpdateEmailProps;
