import "server-only";
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { notifications } from "@/db/schema";
import { getEnv } from "../env";
import { renderTemplate } from "./templates";
import { configuredTransport, type MailTransport } from "./transports";

export const MAX_ATTEMPTS = 5;

/**
 * Sends one queued notification. The claim is a conditional update, so two workers never send the
 * same row; Resend's idempotency key covers a crash between sending and recording it.
 */
export async function deliverNotification(db: Db, id: string, transport: MailTransport = configuredTransport()) {
  const [claimed] = await db
    .update(notifications)
    .set({ status: "sending", attempts: sql`${notifications.attempts} + 1` })
    .where(
      and(
        eq(notifications.id, id),
        inArray(notifications.status, ["queued", "failed"]),
        lt(notifications.attempts, MAX_ATTEMPTS),
      ),
    )
    .returning();
  if (!claimed) return null;
  try {
    const { html, text } = await renderTemplate(claimed.template, claimed.payload);
    const { providerMessageId } = await transport.send({
      id: claimed.id,
      from: getEnv().mailFrom,
      to: claimed.recipientEmail,
      subject: claimed.subject,
      html,
      text,
    });
    const [sent] = await db
      .update(notifications)
      .set({ status: "sent", transport: transport.name, html, providerMessageId, sentAt: new Date(), lastError: null })
      .where(eq(notifications.id, id))
      .returning();
    return sent!;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const [failed] = await db
      .update(notifications)
      .set({ status: "failed", transport: transport.name, lastError: message.slice(0, 1000) })
      .where(eq(notifications.id, id))
      .returning();
    return failed!;
  }
}

/** Sends what is waiting, oldest first. */
export async function deliverPending(db: Db, limit = 50, transport?: MailTransport) {
  const waiting = await db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(inArray(notifications.status, ["queued", "failed"]), lt(notifications.attempts, MAX_ATTEMPTS)))
    .orderBy(asc(notifications.createdAt))
    .limit(limit);
  let sent = 0;
  for (const { id } of waiting) {
    const result = await deliverNotification(db, id, transport);
    if (result?.status === "sent") sent++;
  }
  return { attempted: waiting.length, sent };
}

const inFlight = new Set<Promise<unknown>>();

/** After a verb commits: send its notifications without making the caller wait. */
export function deliverSoon(db: Db): void {
  const run = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => deliverPending(db))
    .catch((error: unknown) => console.error("[notifications] delivery failed:", error))
    .finally(() => inFlight.delete(run));
  inFlight.add(run);
}

/** Waits for deliveries started by deliverSoon (before a CLI exits, or in tests). */
export async function settleDeliveries(): Promise<void> {
  while (inFlight.size) await Promise.all([...inFlight]);
}
