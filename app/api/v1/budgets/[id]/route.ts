import { assertRole } from "@/lib/auth/actor";
import { mayManageBudget } from "@/lib/budgets/permissions";
import { budgetDetail } from "@/lib/budgets/queries";
import { budgetDetailJson } from "@/lib/budgets/api-shape";
import { Forbidden, NotFound } from "@/lib/errors";
import { apiRoute } from "@/lib/http/api-route";
import { z } from "zod";

export const GET = apiRoute<{ id: string }>(async ({ db, actor }, _request, params) => {
  assertRole(actor, "manager", "admin");
  const id = z.uuid().safeParse(params.id);
  const detail = id.success ? await budgetDetail(db, id.data) : null;
  if (!detail) throw new NotFound("No such budget.");
  if (!mayManageBudget(actor, detail.budget.teamId)) throw new Forbidden("You can see your own teams' budgets only.");
  return Response.json(budgetDetailJson(detail));
});
