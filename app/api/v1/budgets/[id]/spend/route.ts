import { spendRecordedJson } from "@/lib/budgets/api-shape";
import { recordSpend } from "@/lib/budgets/record-spend";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";

/** Posts actual spend (for example from a billing export job) into a budget. */
export const POST = apiRoute<{ id: string }>(async (ctx, request, params) => {
  const body = await readJsonObject(request);
  return Response.json(spendRecordedJson(await recordSpend(ctx, { ...body, budgetId: params.id })), { status: 201 });
});
