import "server-only";
import { eq } from "drizzle-orm";
import { webhookEndpoints } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { NotFound } from "../errors";
import { defineVerb } from "../verb";
import { checkReachable } from "./create-webhook";
import { UpdateWebhookInput } from "./schemas";
import { endpointJson } from "./shape";

/**
 * Changes an endpoint's URL, events, description or enabled flag. Turning it back on clears the
 * failure count and Greenlight's reason for turning it off; the secret never changes here.
 */
export const updateWebhook = defineVerb({
  allow: ["admin"],
  input: UpdateWebhookInput,
  prepare: async (_ctx, input) => (input.url ? checkReachable(input.url) : undefined),
  async run({ tx, actor, now }, input) {
    const [current] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, input.id)).for("update");
    if (!current) throw new NotFound("No such webhook endpoint.");
    const reenabled = input.enabled === true && !current.enabled;
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        ...(input.url !== undefined && { url: input.url }),
        ...(input.events !== undefined && { events: input.events }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.enabled !== undefined && { enabled: input.enabled }),
        ...(input.enabled !== undefined && { disabledReason: null }),
        ...(reenabled && { consecutiveFailures: 0 }),
        updatedAt: now,
      })
      .where(eq(webhookEndpoints.id, input.id))
      .returning();
    const changed = Object.fromEntries(
      (["url", "events", "description", "enabled"] as const)
        .filter((k) => input[k] !== undefined && JSON.stringify(input[k]) !== JSON.stringify(current[k]))
        .map((k) => [k, { from: current[k], to: input[k] }]),
    );
    await recordAudit(
      tx,
      actor,
      {
        action: "webhook.updated",
        entityType: "webhook_endpoint",
        entityId: input.id,
        data: { url: row!.url, changed },
      },
      now,
    );
    return endpointJson(row!);
  },
});
