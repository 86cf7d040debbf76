import "server-only";
import { and, desc, eq, gte, inArray, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { NotFound } from "../errors";
import { mayAdminister } from "../users/permissions";
import { WEBHOOK_EVENTS } from "../audit/webhook-events";
import { parseInput } from "../validation";
import { WebhookDeliveriesQuery, webhookId } from "./schemas";
import { attemptJson, deliveryJson, endpointJson } from "./shape";

const REFUSAL = "Webhooks are for admins.";
/** Rows of the delivery log per page: the page and the API read it in steps, newest first. */
export const DELIVERIES_PER_PAGE = 50;

/** Every endpoint (admins), with how its deliveries went in the last day, and the events on offer. */
export async function readWebhooks(ctx: UserContext) {
  permit(mayAdminister(ctx.actor), REFUSAL);
  const endpoints = await ctx.db.select().from(webhookEndpoints).orderBy(webhookEndpoints.createdAt);
  const since = new Date((ctx.now ?? new Date()).getTime() - 86_400_000);
  const counts = endpoints.length
    ? await ctx.db
        .select({
          endpointId: webhookDeliveries.endpointId,
          delivered: sql<number>`count(*) filter (where ${webhookDeliveries.status} = 'delivered')::int`,
          failed: sql<number>`count(*) filter (where ${webhookDeliveries.status} = 'failed')::int`,
          waiting: sql<number>`count(*) filter (where ${webhookDeliveries.status} in ('pending', 'sending'))::int`,
        })
        .from(webhookDeliveries)
        .where(
          and(
            inArray(
              webhookDeliveries.endpointId,
              endpoints.map((e) => e.id),
            ),
            gte(webhookDeliveries.createdAt, since),
          ),
        )
        .groupBy(webhookDeliveries.endpointId)
    : [];
  const byEndpoint = new Map(counts.map((c) => [c.endpointId, c]));
  return {
    events: Object.entries(WEBHOOK_EVENTS).map(([type, description]) => ({ type, description })),
    endpoints: endpoints.map((e) => {
      const c = byEndpoint.get(e.id);
      return {
        ...endpointJson(e),
        lastDay: { delivered: c?.delivered ?? 0, failed: c?.failed ?? 0, waiting: c?.waiting ?? 0 },
      };
    }),
  };
}

/** "<ISO time>_<uuid>" of the last row shown: the next page starts after it (keyset, stable under inserts). */
function parseCursor(before: string | undefined) {
  if (!before) return undefined;
  const [at, id] = before.split("_") as [string, string];
  return { at: new Date(at), id };
}

/** One endpoint and a page of its delivery log, newest first; `before` continues from a page's `next`. */
export async function readWebhook(ctx: UserContext, input: { id: string; before?: string; status?: string }) {
  permit(mayAdminister(ctx.actor), REFUSAL);
  const id = webhookId.safeParse(input.id);
  if (!id.success) throw new NotFound("No such webhook endpoint.");
  const [endpoint] = await ctx.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id.data));
  if (!endpoint) throw new NotFound("No such webhook endpoint.");
  const filters = parseInput(WebhookDeliveriesQuery, { before: input.before, status: input.status });
  const cursor = parseCursor(filters.before);
  const rows = await ctx.db
    .select({
      id: webhookDeliveries.id,
      endpointId: webhookDeliveries.endpointId,
      messageId: webhookDeliveries.messageId,
      eventType: webhookDeliveries.eventType,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      lastStatusCode: webhookDeliveries.lastStatusCode,
      lastDurationMs: webhookDeliveries.lastDurationMs,
      lastError: webhookDeliveries.lastError,
      createdAt: webhookDeliveries.createdAt,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.endpointId, endpoint.id),
        filters.status ? eq(webhookDeliveries.status, filters.status) : undefined,
        cursor
          ? or(
              lt(webhookDeliveries.createdAt, cursor.at),
              and(eq(webhookDeliveries.createdAt, cursor.at), lt(webhookDeliveries.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(DELIVERIES_PER_PAGE + 1);
  const page = rows.slice(0, DELIVERIES_PER_PAGE);
  const last = page.at(-1);
  return {
    endpoint: endpointJson(endpoint),
    deliveries: page.map(deliveryJson),
    next: rows.length > DELIVERIES_PER_PAGE && last ? `${last.createdAt.toISOString()}_${last.id}` : null,
  };
}

/** One delivery: the body sent and every attempt, for diagnosing a receiver. */
export async function readWebhookDelivery(ctx: UserContext, input: { id: string; deliveryId: string }) {
  permit(mayAdminister(ctx.actor), REFUSAL);
  const ids = z.object({ id: z.uuid(), deliveryId: z.uuid() }).safeParse(input);
  if (!ids.success) throw new NotFound("No such delivery.");
  const [delivery] = await ctx.db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, ids.data.deliveryId), eq(webhookDeliveries.endpointId, ids.data.id)));
  if (!delivery) throw new NotFound("No such delivery.");
  const attempts = await ctx.db
    .select()
    .from(webhookAttempts)
    .where(eq(webhookAttempts.deliveryId, delivery.id))
    .orderBy(webhookAttempts.attemptedAt)
    .limit(100);
  return { ...deliveryJson(delivery), payload: delivery.payload, attemptLog: attempts.map(attemptJson) };
}
