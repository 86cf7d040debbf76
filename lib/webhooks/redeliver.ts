import "server-only";
import { and, eq } from "drizzle-orm";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { Conflict, NotFound, ValidationError } from "../errors";
import { defineVerb } from "../verb";
import { dispatchWebhookDeliveries } from "../audit/queue-webhooks";
import { RedeliverInput } from "./schemas";
import { deliveryJson } from "./shape";

/**
 * Sends a delivery again, now: the same message (same webhook-id and body, a fresh timestamp and
 * signature), so a receiver that already has it can drop it. For a receiver that was down or
 * answered wrongly; the attempts so far stay in the log.
 */
export const redeliverWebhook = defineVerb({
  allow: ["admin"],
  input: RedeliverInput,
  async run({ work, tx, actor, now }, input) {
    const [endpoint] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, input.id));
    if (!endpoint) throw new NotFound("No such webhook endpoint.");
    if (!endpoint.enabled) {
      throw new ValidationError("The endpoint is turned off.", {
        enabled: ["Turn the endpoint on before redelivering to it."],
      });
    }
    const [current] = await tx
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, input.deliveryId), eq(webhookDeliveries.endpointId, endpoint.id)))
      .for("update");
    if (!current) throw new NotFound("No such delivery for this endpoint.");
    if (current.status === "sending")
      throw new Conflict("This delivery is being sent right now; wait for the attempt.");
    const [row] = await tx
      .update(webhookDeliveries)
      .set({ status: "pending", nextAttemptAt: now, deliveredAt: null })
      .where(eq(webhookDeliveries.id, current.id))
      .returning();
    await recordAudit(
      tx,
      actor,
      {
        action: "webhook.redelivered",
        entityType: "webhook_endpoint",
        entityId: endpoint.id,
        data: { url: endpoint.url, delivery: current.id, messageId: current.messageId, eventType: current.eventType },
      },
      now,
    );
    work.afterCommit(() => dispatchWebhookDeliveries([row!]));
    return deliveryJson(row!);
  },
});
