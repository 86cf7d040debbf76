import "server-only";
import { notifications } from "@/db/schema";
import type { UnitOfWork } from "../verb";
import { deliverAfterCommit } from "./dispatch";
import { deliveryModeFor } from "./preferences";
import { eventOf, subjectFor, type TemplateName, type TemplateProps } from "./templates";

export type NotificationInput<N extends TemplateName> = {
  to: string;
  userId?: string | null;
  template: N;
  props: TemplateProps<N>;
  /**
   * The caller sends it itself right after commit (a sign-in link: someone is waiting for it), so it
   * is not handed to delivery; if the process dies first, the outbox sweep finds it queued.
   */
  sentByCaller?: boolean;
};

/**
 * Marks a notification (new, or put back in the queue) as due for delivery once `work` commits.
 * The first one a unit of work queues registers the hand-off; the list keeps filling until commit.
 */
export function markQueued(work: UnitOfWork, id: string): void {
  work.assertOpen();
  if (work.queuedNotifications.length === 0) {
    work.afterCommit(() => deliverAfterCommit(work.db, work.queuedNotifications));
  }
  work.queuedNotifications.push(id);
}

/**
 * Queues an email inside the caller's transaction (the transactional outbox): if the change rolls
 * back, so does the email. Delivery happens after commit (markQueued hands it to lib/notifications/dispatch.ts).
 *
 * The recipient's preference for the template's event decides what "queued" means: sent as usual,
 * held for their daily digest (never handed to delivery; lib/notifications/digest.ts sends it), or
 * not written at all (null). A sign-in link is always sent: someone is waiting for it.
 */
export async function enqueueNotification(work: UnitOfWork, input: NotificationInput<"sign-in">): Promise<string>;
export async function enqueueNotification<N extends TemplateName>(
  work: UnitOfWork,
  input: NotificationInput<N>,
): Promise<string | null>;
export async function enqueueNotification<N extends TemplateName>(
  work: UnitOfWork,
  input: NotificationInput<N>,
): Promise<string | null> {
  work.assertOpen();
  // Props are checked (by building the subject) even when the email ends up switched off, so a
  // caller's mistake shows in every test, not only for people who kept the default.
  const subject = subjectFor(input.template, input.props);
  const event = eventOf(input.template);
  const mode = input.userId ? await deliveryModeFor(work.tx, input.userId, event) : "immediately";
  if (mode === "off") return null;
  const [row] = await work.tx
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
  if (mode === "immediately" && !input.sentByCaller) markQueued(work, row!.id);
  return row!.id;
}
