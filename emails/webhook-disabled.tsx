import { Button, Text } from "./components";
import { z } from "zod";
import { buttonStyle, EmailLayout } from "./layout";

// To admins: Greenlight turned a webhook endpoint off after it kept failing; pipelines listening
// there hear nothing until someone fixes the receiver and turns it back on.
export const WebhookDisabledEmailProps = z.object({
  endpoint: z.string().min(1),
  failures: z.number().int().min(1),
  lastError: z.string().min(1),
  url: z.url(),
});
export type WebhookDisabledEmailProps = z.input<typeof WebhookDisabledEmailProps>;

export const webhookDisabledSubject = (p: z.output<typeof WebhookDisabledEmailProps>) =>
  `Webhook turned off after ${p.failures} failed attempts: ${p.endpoint}`;

export default function WebhookDisabledEmail(props: WebhookDisabledEmailProps) {
  const p = WebhookDisabledEmailProps.parse(props);
  return (
    <EmailLayout preview={webhookDisabledSubject(p)}>
      <Text style={{ fontSize: 16, fontWeight: 600, color: "#111827", margin: "0 0 12px" }}>
        A webhook endpoint was turned off
      </Text>
      <Text style={{ fontSize: 14, color: "#374151", margin: "0 0 12px" }}>
        {p.endpoint} failed {p.failures} delivery attempts in a row, so Greenlight stopped sending to it. The last
        attempt: {p.lastError}.
      </Text>
      <Text style={{ fontSize: 14, color: "#374151", margin: "0 0 16px" }}>
        Events raised while it is off are not queued for it. Once the receiver works again, turn the endpoint back on
        and redeliver what it missed from its delivery log.
      </Text>
      <Button href={p.url} style={buttonStyle}>
        Open the endpoint
      </Button>
    </EmailLayout>
  );
}

WebhookDisabledEmail.PreviewProps = {
  endpoint: "https://ci.example.com/hooks/greenlight",
  failures: 20,
  lastError: "the endpoint answered 503",
  url: "http://localhost:3000/admin/webhooks/7d0c1a52-5a7e-4b8a-9d55-0d6f8f1f3a10",
} satisfies WebhookDisabledEmailProps;
