import { budgetDetailJson } from "@/lib/budgets/api-shape";
import { readBudget } from "@/lib/budgets/queries";
import { apiRoute } from "@/lib/http/api-route";

export const GET = apiRoute<{ id: string }>(async (ctx, _request, { id }) => {
  return Response.json(budgetDetailJson(await readBudget(ctx, { id })));
});
