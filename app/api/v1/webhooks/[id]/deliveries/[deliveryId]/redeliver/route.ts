import { apiRoute } from "@/lib/http/api-route";
import { redeliverWebhook } from "@/lib/webhooks/redeliver";

// POST: send this delivery again now (same webhook-id and body, fresh signature); 202.
export const POST = apiRoute<{ id: string; deliveryId: string }>(async (ctx, _request, params) =>
  Response.json(await redeliverWebhook(ctx, params), { status: 202 }),
);
