import { apiRoute } from "@/lib/http/api-route";
import { readWebhookDelivery } from "@/lib/webhooks/queries";

// GET: one delivery, the exact body sent, and every attempt with its answer.
export const GET = apiRoute<{ id: string; deliveryId: string }>(async (ctx, _request, params) =>
  Response.json(await readWebhookDelivery(ctx, params)),
);
