import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { deleteWebhook } from "@/lib/webhooks/delete-webhook";
import { readWebhook } from "@/lib/webhooks/queries";
import { updateWebhook } from "@/lib/webhooks/update-webhook";

type Params = { id: string };

// GET: the endpoint (no secret) and the newest page of its delivery log.
export const GET = apiRoute<Params>(async (ctx, _request, { id }) => {
  const { endpoint, deliveries, next } = await readWebhook(ctx, { id });
  return Response.json({ ...endpoint, deliveries, next });
});

// PATCH any of {url, events, description, enabled}; turning it on again clears its failure count.
export const PATCH = apiRoute<Params>(async (ctx, request, { id }) =>
  Response.json(await updateWebhook(ctx, { ...(await readJsonObject(request)), id })),
);

// DELETE: the endpoint and its delivery log go; 204.
export const DELETE = apiRoute<Params>(async (ctx, _request, { id }) => {
  await deleteWebhook(ctx, { id });
  return new Response(null, { status: 204 });
});
