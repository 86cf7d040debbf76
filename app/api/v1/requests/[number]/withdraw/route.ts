import { apiContext } from "@/lib/http/api-auth";
import { readJson, route } from "@/lib/http/problem";
import { requestJson } from "@/lib/requests/api-shape";
import { getRequestDetail } from "@/lib/requests/queries";
import { withdrawRequest } from "@/lib/requests/withdraw-request";

export const POST = route<{ number: string }>(async (request, { params }) => {
  const ctx = await apiContext(request);
  const body = (await readJson(request)) as Record<string, unknown>;
  const { number } = await params;
  const result = await withdrawRequest(ctx, { ...body, number });
  const detail = await getRequestDetail(ctx.db, Number(String(number).replace(/^CR-/i, "")));
  return Response.json({ result, request: detail ? requestJson(detail) : null }, { status: 200 });
});
