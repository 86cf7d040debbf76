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

/**
 * Queues an email inside the caller's transaction (the transactional outbox): if the change rolls
 * back, so does the email. Delivery happens after commit (deliver.ts).
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
  return row!.id;
}
