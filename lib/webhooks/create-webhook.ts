import "server-only";
import { webhookEndpoints } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { getEnv } from "../env";
import { ValidationError } from "../errors";
import { defineVerb } from "../verb";
import { refusedAddressReason } from "./post";
import { CreateWebhookInput } from "./schemas";
import { newWebhookSecret } from "./secret";
import { endpointJson } from "./shape";

/** Refuses a URL whose host is (or resolves to) a private address, unless the operator allowed it. */
export async function checkReachable(url: string): Promise<void> {
  const reason = await refusedAddressReason(new URL(url), getEnv().webhooksAllowPrivate);
  if (reason) {
    throw new ValidationError("That endpoint cannot receive webhooks.", {
      url: [`${reason}: webhooks go to public addresses only (an operator can allow private ones).`],
    });
  }
}

/** An admin adds an endpoint; its signing secret is in this answer and never again. */
export const createWebhook = defineVerb({
  allow: ["admin"],
  input: CreateWebhookInput,
  // Resolving the host can take a while: never inside the transaction.
  prepare: async (_ctx, input) => checkReachable(input.url),
  async run({ tx, actor, now }, input) {
    const secret = newWebhookSecret();
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({
        url: input.url,
        description: input.description,
        events: input.events,
        secret,
        enabled: input.enabled,
        createdBy: actor.kind === "user" ? actor.id : null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await recordAudit(
      tx,
      actor,
      {
        action: "webhook.created",
        entityType: "webhook_endpoint",
        entityId: row!.id,
        data: { url: input.url, events: input.events, enabled: input.enabled },
      },
      now,
    );
    return { ...endpointJson(row!), secret };
  },
});
