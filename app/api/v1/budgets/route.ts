import { budgetJson, budgetSetJson } from "@/lib/budgets/api-shape";
import { readTeamBudgets } from "@/lib/budgets/queries";
import { setBudget } from "@/lib/budgets/set-budget";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject, readQuery } from "@/lib/http/body";

/** Budgets of the teams the caller manages (admins: every team), newest period first; ?team= narrows. */
export const GET = apiRoute(async (ctx, request) => {
  const teams = await readTeamBudgets(ctx, readQuery(request));
  return Response.json({ budgets: teams.flatMap(({ team, budgets }) => budgets.map((b) => budgetJson(b, team.name))) });
});

export const POST = apiRoute(async (ctx, request) => {
  const { budget, created } = await setBudget(ctx, await readJsonObject(request));
  return Response.json(budgetSetJson(budget), { status: created ? 201 : 200 });
});
