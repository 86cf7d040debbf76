import { NotFound } from "@/lib/errors";
import { apiContext } from "@/lib/http/api-auth";
import { route } from "@/lib/http/problem";
import { requestJson } from "@/lib/requests/api-shape";
import { getRequestDetail } from "@/lib/requests/queries";
import { requestNumber } from "@/lib/requests/schemas";

export const GET = route<{ number: string }>(async (request, { params }) => {
  const { db } = await apiContext(request);
  const number = requestNumber.safeParse((await params).number);
  const detail = number.success ? await getRequestDetail(db, number.data) : null;
  if (!detail) throw new NotFound("No such request.");
  return Response.json(requestJson(detail));
});
