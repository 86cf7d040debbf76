import { NotFound } from "@/lib/errors";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { requestJson } from "@/lib/requests/api-shape";
import { findRequestDetail } from "@/lib/requests/queries";
import { updateRequest } from "@/lib/requests/update-request";

async function detailOr404(db: Parameters<typeof findRequestDetail>[0], raw: string) {
  const detail = await findRequestDetail(db, raw);
  if (!detail) throw new NotFound("No such request.");
  return detail;
}

export const GET = apiRoute<{ number: string }>(async ({ db }, _request, { number }) => {
  return Response.json(requestJson(await detailOr404(db, number)));
});

/** Edits the request (title, description, target, cost-benefit analysis, resource lines); a seen request is reset to a new revision. */
export const PATCH = apiRoute<{ number: string }>(async (ctx, request, { number }) => {
  const body = await readJsonObject(request);
  const { reset } = await updateRequest(ctx, { ...body, number });
  return Response.json({ ...requestJson(await detailOr404(ctx.db, number)), approvalsReset: reset });
});
