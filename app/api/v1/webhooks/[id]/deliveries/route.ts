import { apiRoute } from "@/lib/http/api-route";
import { readWebhook } from "@/lib/webhooks/queries";

// GET ?before=<next>&status=: the delivery log, newest first, 50 a page; `next` continues it.
export const GET = apiRoute<{ id: string }>(async (ctx, request, { id }) => {
  const query = new URL(request.url).searchParams;
  const { deliveries, next } = await readWebhook(ctx, {
    id,
    before: query.get("before") ?? undefined,
    status: query.get("status") ?? undefined,
  });
  return Response.json({ deliveries, next });
});
