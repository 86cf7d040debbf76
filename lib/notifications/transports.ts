import "server-only";
import { Resend } from "resend";
import { getEnv } from "../env";

export type OutgoingMail = { id: string; from: string; to: string; subject: string; html: string; text: string };

/** Where mail goes. Both transports take the same message; only Resend lets it leave the machine. */
export interface MailTransport {
  readonly name: "resend" | "outbox";
  send(mail: OutgoingMail): Promise<{ providerMessageId: string | null }>;
}

export function resendTransport(apiKey: string, baseUrl?: string): MailTransport {
  const client = new Resend(apiKey, baseUrl ? { baseUrl } : undefined);
  return {
    name: "resend",
    async send(mail) {
      const { data, error } = await client.emails.send(
        { from: mail.from, to: mail.to, subject: mail.subject, html: mail.html, text: mail.text },
        // One key per notification: a retry after a timeout can never send the same email twice.
        { idempotencyKey: `greenlight-notification-${mail.id}` },
      );
      if (error) throw new Error(`Resend refused the message: ${error.message}`);
      return { providerMessageId: data?.id ?? null };
    },
  };
}

/** The embedded outbox: the notification row (with its rendered HTML) is the delivered message. */
export const outboxTransport: MailTransport = {
  name: "outbox",
  async send() {
    return { providerMessageId: null };
  },
};

export function configuredTransport(): MailTransport {
  const { resend } = getEnv();
  return resend ? resendTransport(resend.apiKey, resend.baseUrl) : outboxTransport;
}
