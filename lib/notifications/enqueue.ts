import "server-only";
import type { Tx } from "@/db";
import { notifications } from "@/db/schema";
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
 */
export async function enqueueNotification<N extends TemplateName>(tx: Tx, input: NotificationInput<N>) {
  const [row] = await tx
    .insert(notifications)
    .values({
      recipientEmail: input.to.toLowerCase(),
      recipientUserId: input.userId ?? null,
      template: input.template,
      subject: subjectFor(input.template, input.props),
      payload: input.props as Record<string, unknown>,
    })
    .returning({ id: notifications.id });
  markQueued(tx, row!.id);
  return row!.id;
}
