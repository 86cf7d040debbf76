import { recordSpend } from "@/lib/budgets/record-spend";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";

/** Posts actual spend (for example from a billing export job) into a budget. */
export const POST = apiRoute<{ id: string }>(async (ctx, request, params) => {
  const body = await readJsonObject(request);
  const { entry, alerts } = await recordSpend(ctx, { ...body, budgetId: params.id });
  return Response.json(
    { id: entry.id, amountMinor: entry.amountMinor, spentOn: entry.spentOn, alerts },
    { status: 201 },
  );
});
