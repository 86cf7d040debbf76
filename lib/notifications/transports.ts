import "server-only";
import { Resend } from "resend";
import { getEnv } from "../env";

export type OutgoingMail = { id: string; from: string; to: string; subject: string; html: string; text: string };

/** Where mail goes. Both transports take the same message; only Resend lets it leave the machine. */
export interface MailTransport {
  readonly name: "resend" | "outbox";
  send(mail: OutgoingMail): Promise<{ providerMessageId: string | null }>;
}

// The SDK sets no timeout of its own (fetch would wait minutes for a silent server). A send that
// outlives this is abandoned and retried; the idempotency key makes that retry safe even when
// Resend had in fact accepted the first one. Must stay well below the job's expiry (lib/jobs/queues.ts).
export const RESEND_TIMEOUT_MS = 30_000;

/** The key Resend deduplicates on: one per notification, the same on every attempt. */
export const idempotencyKeyFor = (notificationId: string) => `greenlight-notification-${notificationId}`;

export function resendTransport(apiKey: string, baseUrl?: string, options: { timeoutMs?: number } = {}): MailTransport {
  const client = new Resend(apiKey, baseUrl ? { baseUrl } : undefined);
  const timeoutMs = options.timeoutMs ?? RESEND_TIMEOUT_MS;
  return {
    name: "resend",
    async send(mail) {
      const signal = AbortSignal.timeout(timeoutMs);
      const timedOut = () => new Error(`Resend did not answer within ${timeoutMs / 1000}s`);
      // The SDK turns an abort into a generic fetch failure (or rethrows it mid-body): either way,
      // say what really happened.
      const { data, error } = await client.emails
        .send(
          { from: mail.from, to: mail.to, subject: mail.subject, html: mail.html, text: mail.text },
          // One key per notification: a retry after a timeout can never send the same email twice.
          { idempotencyKey: idempotencyKeyFor(mail.id), signal },
        )
        .catch((thrown: unknown) => {
          throw signal.aborted ? timedOut() : thrown;
        });
      if (!error) return { providerMessageId: data?.id ?? null };
      throw signal.aborted ? timedOut() : new Error(`Resend refused the message: ${error.message}`);
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
