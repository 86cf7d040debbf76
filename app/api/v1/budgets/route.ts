import { assertRole } from "@/lib/auth/actor";
import { budgetTeams, teamBudgets } from "@/lib/budgets/queries";
import { setBudget } from "@/lib/budgets/set-budget";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { budgetJson, budgetSetJson } from "@/lib/budgets/api-shape";

/** Budgets of the teams the caller manages (admins: every team), newest period first; ?team= narrows. */
export const GET = apiRoute(async ({ db, actor }, request) => {
  assertRole(actor, "manager", "admin");
  const only = new URL(request.url).searchParams.get("team");
  const teams = (await budgetTeams(db, actor)).filter((t) => !only || t.id === only);
  const budgets = (
    await Promise.all(teams.map(async (t) => (await teamBudgets(db, t.id)).map((b) => budgetJson(b, t.name))))
  ).flat();
  return Response.json({ budgets });
});

export const POST = apiRoute(async (ctx, request) => {
  const { budget, created } = await setBudget(ctx, await readJsonObject(request));
  return Response.json(budgetSetJson(budget), { status: created ? 201 : 200 });
});
