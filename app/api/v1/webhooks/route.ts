import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { createWebhook } from "@/lib/webhooks/create-webhook";
import { readWebhooks } from "@/lib/webhooks/queries";

// GET: every endpoint (no secrets) and the events on offer. POST {url, events, description?, enabled?}:
// 201 with the endpoint and its signing secret, shown this once.
export const GET = apiRoute(async (ctx) => Response.json(await readWebhooks(ctx)));

export const POST = apiRoute(async (ctx, request) => {
  const endpoint = await createWebhook(ctx, await readJsonObject(request));
  return Response.json(endpoint, { status: 201, headers: { location: `/api/v1/webhooks/${endpoint.id}` } });
});
