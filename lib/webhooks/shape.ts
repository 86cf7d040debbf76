import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from "@/db/schema";

/** An endpoint as the API and pages show it: everything but its secret. */
export function endpointJson(e: WebhookEndpoint) {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    consecutiveFailures: e.consecutiveFailures,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

/** One row of the delivery log. */
export function deliveryJson(d: Omit<WebhookDelivery, "payload" | "sendingSince">) {
  return {
    id: d.id,
    messageId: d.messageId,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === "pending" ? d.nextAttemptAt : null,
    lastStatusCode: d.lastStatusCode,
    lastDurationMs: d.lastDurationMs,
    lastError: d.lastError,
    createdAt: d.createdAt,
    deliveredAt: d.deliveredAt,
  };
}

export function attemptJson(a: WebhookAttempt) {
  return {
    attemptedAt: a.attemptedAt,
    statusCode: a.statusCode,
    durationMs: a.durationMs,
    error: a.error,
    responseExcerpt: a.responseExcerpt,
  };
}
