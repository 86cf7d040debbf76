import "server-only";
import { eq } from "drizzle-orm";
import { webhookEndpoints } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { NotFound } from "../errors";
import { defineVerb } from "../verb";
import { DeleteWebhookInput } from "./schemas";

/** Removes an endpoint with its delivery log; nothing more is sent to it. The audit log keeps its history. */
export const deleteWebhook = defineVerb({
  allow: ["admin"],
  input: DeleteWebhookInput,
  async run({ tx, actor, now }, input) {
    const [gone] = await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, input.id)).returning();
    if (!gone) throw new NotFound("No such webhook endpoint.");
    await recordAudit(
      tx,
      actor,
      {
        action: "webhook.deleted",
        entityType: "webhook_endpoint",
        entityId: gone.id,
        data: { url: gone.url, events: gone.events },
      },
      now,
    );
    return { id: gone.id, deleted: true as const };
  },
});
