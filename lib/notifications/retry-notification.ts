import "server-only";
import { and, eq, gte } from "drizzle-orm";
import { z } from "zod";
import { notifications } from "@/db/schema";
import { assertRole } from "../auth/actor";
import { reassertRole } from "../auth/reassert";
import { recordAudit } from "../audit/record";
import { Conflict, NotFound } from "../errors";
import { parseInput } from "../validation";
import { inTransaction, type VerbContext } from "../verb";
import { MAX_ATTEMPTS } from "./deliver";
import { markQueued } from "./enqueue";

const Input = z.object({ notificationId: z.uuid({ error: "must be a notification id" }) });

/**
 * Gives a dead-lettered email (failed, out of attempts) a fresh set of attempts and queues it again,
 * once whatever stopped it (a bad sender domain, a provider outage) is fixed. Admins only. The last
 * error is kept until the next attempt replaces it, so the outbox still shows why it had stopped.
 */
export async function retryNotification(ctx: VerbContext, raw: unknown) {
  assertRole(ctx.actor, "admin");
  const input = parseInput(Input, raw);
  return inTransaction(ctx, async (tx) => {
    await reassertRole(tx, ctx.actor, "admin");
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
      ctx.actor,
      {
        action: "notification.retried",
        entityType: "notification",
        entityId: reset.id,
        data: { to: reset.recipientEmail, template: reset.template, lastError: reset.lastError },
      },
      ctx.now,
    );
    markQueued(tx, reset.id); // delivered (through the job queue when one runs) once this commits
    return { id: reset.id, status: "queued" as const };
  });
}
