import { recordSpend } from "@/lib/budgets/record-spend";
import { apiContext } from "@/lib/http/api-auth";
import { readJson, route } from "@/lib/http/problem";

/** Posts actual spend (for example from a billing export job) into a budget. */
export const POST = route<{ id: string }>(async (request, { params }) => {
  const ctx = await apiContext(request);
  const body = (await readJson(request)) as Record<string, unknown>;
  const { entry, alerts } = await recordSpend(ctx, { ...body, budgetId: (await params).id });
  return Response.json(
    { id: entry.id, amountMinor: entry.amountMinor, spentOn: entry.spentOn, alerts },
    { status: 201 },
  );
});
