import "server-only";
import type { Tx } from "@/db";
import { notifications } from "@/db/schema";
import { TEMPLATE_EVENTS } from "./events";
import { deliveryModeFor } from "./preferences";
import { subjectFor, type TemplateName, type TemplateProps } from "./templates";

export type NotificationInput<N extends TemplateName> = {
  to: string;
  userId?: string | null;
  template: N;
  props: TemplateProps<N>;
};

// The notifications each open verb transaction has queued, keyed by its transaction handle (not by
// async context: a pooled driver may resume a transaction's callback from another context). Read
// once the transaction commits, so delivery is asked for exactly these rows and never before commit.
const queuedIn = new WeakMap<Tx, string[]>();

/** Starts listing what this transaction queues; the list fills as notifications are queued. */
export function listQueuedNotifications(tx: Tx): readonly string[] {
  const ids: string[] = [];
  queuedIn.set(tx, ids);
  return ids;
}

/** Marks a notification (new, or put back in the queue) as due for delivery once `tx` commits. */
export function markQueued(tx: Tx, id: string): void {
  queuedIn.get(tx)?.push(id);
}

/**
 * Queues an email inside the caller's transaction (the transactional outbox): if the change rolls
 * back, so does the email. Delivery happens after commit (lib/verb.ts hands it to the job queue).
 *
 * The recipient's preference for the template's event decides what "queued" means: sent as usual,
 * held for their daily digest (never handed to delivery; lib/notifications/digest.ts sends it), or
 * not written at all (null). A sign-in link is always sent: someone is waiting for it.
 */
export async function enqueueNotification(tx: Tx, input: NotificationInput<"sign-in">): Promise<string>;
export async function enqueueNotification<N extends TemplateName>(
  tx: Tx,
  input: NotificationInput<N>,
): Promise<string | null>;
export async function enqueueNotification<N extends TemplateName>(
  tx: Tx,
  input: NotificationInput<N>,
): Promise<string | null> {
  // Props are checked (by building the subject) even when the email ends up switched off, so a
  // caller's mistake shows in every test, not only for people who kept the default.
  const subject = subjectFor(input.template, input.props);
  const event = TEMPLATE_EVENTS[input.template] ?? "other";
  const mode = input.userId ? await deliveryModeFor(tx, input.userId, event) : "immediately";
  if (mode === "off") return null;
  const [row] = await tx
    .insert(notifications)
    .values({
      recipientEmail: input.to.toLowerCase(),
      recipientUserId: input.userId ?? null,
      template: input.template,
      event,
      subject,
      payload: input.props as Record<string, unknown>,
      status: mode === "digest" ? "held" : "queued",
    })
    .returning({ id: notifications.id });
  if (mode === "immediately") markQueued(tx, row!.id);
  return row!.id;
}
