import "server-only";
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { notifications } from "@/db/schema";
import { getEnv } from "../env";
import { renderTemplate } from "./templates";
import { configuredTransport, type MailTransport } from "./transports";
import { logError } from "../log";

/** Attempts before a notification is dead-lettered (status failed, attempts >= MAX_ATTEMPTS). */
export const MAX_ATTEMPTS = 5;

/** Rows a worker may still try: waiting, or failed with attempts left. */
export const deliverable = and(
  inArray(notifications.status, ["queued", "failed"]),
  lt(notifications.attempts, MAX_ATTEMPTS),
);

export const isDeadLettered = (row: { status: string; attempts: number }) =>
  row.status === "failed" && row.attempts >= MAX_ATTEMPTS;

/**
 * Sends one queued notification. The claim is a conditional update, so two workers never send the
 * same row; Resend's idempotency key covers a crash between sending and recording it.
 *
 * While a row is "sending", sent_at holds when that attempt began (the schema has no separate claim
 * column): the outbox sweep reclaims rows a crashed worker left "sending" by it. Once sent it is the
 * time the transport accepted the message; a failed attempt clears it.
 */
export async function deliverNotification(db: Db, id: string, transport: MailTransport = configuredTransport()) {
  const [claimed] = await db
    .update(notifications)
    .set({ status: "sending", attempts: sql`${notifications.attempts} + 1`, sentAt: new Date() })
    .where(and(eq(notifications.id, id), deliverable))
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
      .set({ status: "failed", transport: transport.name, sentAt: null, lastError: message.slice(0, 1000) })
      .where(eq(notifications.id, id))
      .returning();
    return failed!;
  }
}

/** Sends what is waiting, oldest first (the CLI and tests, where no job queue runs). */
export async function deliverPending(db: Db, limit = 50, transport?: MailTransport) {
  const waiting = await db
    .select({ id: notifications.id })
    .from(notifications)
    .where(deliverable)
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

/** Runs after-commit work (sending mail, or handing it to the job queue) without making the caller wait. */
export function inBackground(label: string, work: () => Promise<unknown>): void {
  const run = new Promise<void>((resolve) => setImmediate(resolve))
    .then(work)
    .catch((error: unknown) => logError(`[notifications] ${label} failed:`, error))
    .finally(() => inFlight.delete(run));
  inFlight.add(run);
}

/** After a verb commits, with no job queue in this process: send its notifications directly. */
export function deliverSoon(db: Db): void {
  inBackground("delivery", () => deliverPending(db));
}

/** Waits for work started by deliverSoon / inBackground (before a CLI exits, or in tests). */
export async function settleDeliveries(): Promise<void> {
  while (inFlight.size) await Promise.all([...inFlight]);
}
