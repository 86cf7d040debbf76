import "server-only";
import { and, eq, lte, or, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import type { Db } from "@/db";
import { webhookAttempts, webhookDeliveries, webhookEndpoints, type WebhookDelivery } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { systemActor } from "../auth/actor";
import { getEnv } from "../env";
import { enqueueNotification } from "../notifications/enqueue";
import { holdersOf } from "../users/people";
import { inUnitOfWork, type UnitOfWork } from "../verb";
import { postWebhook, type PostResult } from "./post";

/**
 * Seconds to wait after each failed attempt: half a minute, 2 and 10 minutes, half an hour, 2 and 6
 * hours. A receiver down for a deploy loses nothing; one down for most of a working day still gets
 * every event (seven attempts over about 9 hours), and redelivery covers the rest.
 */
export const WEBHOOK_RETRY_DELAYS_S = [30, 120, 600, 1800, 7200, 21600] as const;
export const MAX_WEBHOOK_ATTEMPTS = WEBHOOK_RETRY_DELAYS_S.length + 1;
/** Failed attempts in a row (across deliveries) after which Greenlight turns the endpoint off. */
export const DISABLE_AFTER_FAILURES = 20;
/** A claim older than this was a worker that died mid-send: the delivery is taken again. */
export const STALE_CLAIM_MS = 2 * 60_000;

/** When the attempt after `attempts` failed ones is due, or null when none is left. */
export function nextAttemptAfter(attempts: number, now: Date): Date | null {
  const delay = WEBHOOK_RETRY_DELAYS_S[attempts - 1];
  return delay === undefined ? null : new Date(now.getTime() + delay * 1000);
}

/**
 * The Standard Webhooks headers for one attempt: webhook-id (the same on every attempt, so a
 * receiver drops duplicates), webhook-timestamp (this attempt's, in seconds) and webhook-signature
 * (v1,<base64 HMAC-SHA256 of "id.timestamp.body">, made by the standardwebhooks package).
 */
export function signedHeaders(secret: string, messageId: string, sentAt: Date, body: string) {
  const seconds = Math.floor(sentAt.getTime() / 1000);
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(seconds),
    "webhook-signature": new Webhook(secret).sign(messageId, new Date(seconds * 1000), body),
  };
}

export type DeliverOptions = { now?: Date; post?: typeof postWebhook };

/**
 * Makes one attempt on a delivery that is due (or whose worker died mid-send). The claim is a
 * conditional update, so two workers never send the same attempt. Returns the delivery as it now
 * stands, or null when there was nothing to do (not due, delivered, or claimed by someone else).
 */
export async function deliverWebhook(
  db: Db,
  deliveryId: string,
  options: DeliverOptions = {},
): Promise<WebhookDelivery | null> {
  const now = options.now ?? new Date();
  const [claimed] = await db
    .update(webhookDeliveries)
    .set({ status: "sending", sendingSince: now, attempts: sql`${webhookDeliveries.attempts} + 1` })
    .where(
      and(
        eq(webhookDeliveries.id, deliveryId),
        or(
          and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now)),
          and(
            eq(webhookDeliveries.status, "sending"),
            lte(webhookDeliveries.sendingSince, new Date(now.getTime() - STALE_CLAIM_MS)),
          ),
        ),
      ),
    )
    .returning();
  if (!claimed) return null;
  const [endpoint] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, claimed.endpointId));
  if (!endpoint?.enabled) {
    const [stopped] = await db
      .update(webhookDeliveries)
      .set({ status: "failed", sendingSince: null, lastError: "the endpoint is turned off" })
      .where(eq(webhookDeliveries.id, deliveryId))
      .returning();
    return stopped ?? null;
  }

  const body = JSON.stringify(claimed.payload);
  const sentAt = options.now ?? new Date();
  const result = await (options.post ?? postWebhook)(
    endpoint.url,
    signedHeaders(endpoint.secret, claimed.messageId, sentAt, body),
    body,
    { allowPrivate: getEnv().webhooksAllowPrivate },
  );
  return recordAttempt(db, claimed, endpoint.url, result, sentAt);
}

/** Writes the attempt, moves the delivery on, and turns off an endpoint that keeps failing. */
async function recordAttempt(db: Db, claimed: WebhookDelivery, url: string, result: PostResult, at: Date) {
  const ok = result.error === null;
  const next = ok ? null : nextAttemptAfter(claimed.attempts, at);
  return inUnitOfWork(
    db,
    async (work) => {
      const { tx } = work;
      await tx.insert(webhookAttempts).values({
        deliveryId: claimed.id,
        attemptedAt: at,
        statusCode: result.statusCode,
        durationMs: result.durationMs,
        error: result.error?.slice(0, 1000) ?? null,
        responseExcerpt: result.responseExcerpt,
      });
      const [delivery] = await tx
        .update(webhookDeliveries)
        .set({
          status: ok ? "delivered" : next ? "pending" : "failed",
          sendingSince: null,
          nextAttemptAt: next ?? claimed.nextAttemptAt,
          lastStatusCode: result.statusCode,
          lastDurationMs: result.durationMs,
          lastError: result.error?.slice(0, 1000) ?? null,
          deliveredAt: ok ? at : null,
        })
        .where(eq(webhookDeliveries.id, claimed.id))
        .returning();
      const [endpoint] = await tx
        .update(webhookEndpoints)
        .set({ consecutiveFailures: ok ? 0 : sql`${webhookEndpoints.consecutiveFailures} + 1` })
        .where(eq(webhookEndpoints.id, claimed.endpointId))
        .returning();
      if (!ok && endpoint?.enabled && endpoint.consecutiveFailures >= DISABLE_AFTER_FAILURES) {
        await turnOff(work, endpoint.id, url, endpoint.consecutiveFailures, result.error ?? "failed");
      }
      return delivery!;
    },
    { now: at },
  );
}

async function turnOff(work: UnitOfWork, endpointId: string, url: string, failures: number, lastError: string) {
  const { tx, now } = work;
  const reason = `Turned off by Greenlight after ${failures} failed attempts in a row (last: ${lastError}).`;
  await tx
    .update(webhookEndpoints)
    .set({ enabled: false, disabledReason: reason, updatedAt: now })
    .where(eq(webhookEndpoints.id, endpointId));
  // What was still waiting for it will not be sent; the log says so and redelivery can resend it.
  await tx
    .update(webhookDeliveries)
    .set({ status: "failed", lastError: "the endpoint was turned off" })
    .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.status, "pending")));
  await recordAudit(
    tx,
    systemActor("webhooks"),
    {
      action: "webhook.disabled",
      entityType: "webhook_endpoint",
      entityId: endpointId,
      data: { url, failures, lastError },
    },
    now,
  );
  const link = `${getEnv().appUrl}/admin/webhooks/${endpointId}`;
  for (const admin of await holdersOf(tx, "admin")) {
    await enqueueNotification(work, {
      to: admin.email,
      userId: admin.id,
      template: "webhook-disabled",
      props: { endpoint: url, failures, lastError, url: link },
    });
  }
}
