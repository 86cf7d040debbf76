import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { requestJson } from "@/lib/requests/api-shape";
import { readRequest } from "@/lib/requests/queries";
import { updateRequest } from "@/lib/requests/update-request";

export const GET = apiRoute<{ number: string }>(async (ctx, _request, { number }) => {
  return Response.json(requestJson(await readRequest(ctx, { number }), ctx.actor));
});

/** Edits the request (title, description, target, cost-benefit analysis, resource lines); a seen request is reset to a new revision. */
export const PATCH = apiRoute<{ number: string }>(async (ctx, request, { number }) => {
  const body = await readJsonObject(request);
  const { reset } = await updateRequest(ctx, { ...body, number });
  return Response.json({ ...requestJson(await readRequest(ctx, { number }), ctx.actor), approvalsReset: reset });
});
