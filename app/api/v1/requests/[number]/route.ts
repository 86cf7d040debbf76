import { NotFound } from "@/lib/errors";
import { apiContext } from "@/lib/http/api-auth";
import { readJson, route } from "@/lib/http/problem";
import { requestJson } from "@/lib/requests/api-shape";
import { getRequestDetail } from "@/lib/requests/queries";
import { requestNumber } from "@/lib/requests/schemas";
import { updateRequest } from "@/lib/requests/update-request";

async function detailOr404(db: Parameters<typeof getRequestDetail>[0], raw: string) {
  const number = requestNumber.safeParse(raw);
  const detail = number.success ? await getRequestDetail(db, number.data) : null;
  if (!detail) throw new NotFound("No such request.");
  return detail;
}

export const GET = route<{ number: string }>(async (request, { params }) => {
  const { db } = await apiContext(request);
  return Response.json(requestJson(await detailOr404(db, (await params).number)));
});

/** Edits the request (title, description, target, cost-benefit analysis, resource lines); a seen request is reset to a new revision. */
export const PATCH = route<{ number: string }>(async (request, { params }) => {
  const ctx = await apiContext(request);
  const body = (await readJson(request)) as Record<string, unknown>;
  const { number } = await params;
  const { reset } = await updateRequest(ctx, { ...body, number });
  return Response.json({ ...requestJson(await detailOr404(ctx.db, number)), approvalsReset: reset });
});
