import "server-only";
import { and, eq, gte } from "drizzle-orm";
import { z } from "zod";
import { notifications } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { Conflict, NotFound } from "../errors";
import { defineVerb } from "../verb";
import { MAX_ATTEMPTS } from "./deliver";
import { markQueued } from "./enqueue";

/**
 * Gives a dead-lettered email (failed, out of attempts) a fresh set of attempts and queues it again,
 * once whatever stopped it (a bad sender domain, a provider outage) is fixed. Admins only. The last
 * error is kept until the next attempt replaces it, so the outbox still shows why it had stopped.
 */
export const retryNotification = defineVerb({
  allow: ["admin"],
  input: z.object({ notificationId: z.uuid({ error: "must be a notification id" }) }),
  async run({ work, tx, actor, now }, input) {
    // Conditional: of two admins retrying at once, one resets it and the other finds it queued.
    const [reset] = await tx
      .update(notifications)
      .set({ status: "queued", attempts: 0, sentAt: null })
      .where(
        and(
          eq(notifications.id, input.notificationId),
          eq(notifications.status, "failed"),
          gte(notifications.attempts, MAX_ATTEMPTS),
        ),
      )
      .returning({
        id: notifications.id,
        recipientEmail: notifications.recipientEmail,
        template: notifications.template,
        lastError: notifications.lastError,
      });
    if (!reset) {
      const [current] = await tx
        .select({ status: notifications.status })
        .from(notifications)
        .where(eq(notifications.id, input.notificationId));
      if (!current) throw new NotFound("No such email in the outbox.");
      throw new Conflict(`Only an email that ran out of attempts can be retried; this one is ${current.status}.`);
    }
    await recordAudit(
      tx,
      actor,
      {
        action: "notification.retried",
        entityType: "notification",
        entityId: reset.id,
        data: { to: reset.recipientEmail, template: reset.template, lastError: reset.lastError },
      },
      now,
    );
    markQueued(work, reset.id); // delivered (through the job queue when one runs) once this commits
    return { id: reset.id, status: "queued" as const };
  },
});
