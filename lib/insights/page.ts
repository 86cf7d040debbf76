import "server-only";
import { listEnvironments } from "../environments/queries";
import { asc } from "drizzle-orm";
import { teams } from "@/db/schema";
import type { UserContext } from "../auth/actor";
import { isAppError, type FieldErrors } from "../errors";
import { insightTeams, maySeeInsightPeople } from "./permissions";
import {
  insightScope,
  readAutoPass,
  readBudgetFigures,
  readInsightPeople,
  readLeadTime,
  readRework,
  readSla,
  readStepWaits,
} from "./queries";

const FILTERS = ["from", "to", "team", "kind", "environment"] as const;

/**
 * The Insights page: every figure for one period and set of filters, through the same reads as
 * /api/v1/insights. Filters that do not parse are shown back with their messages, and the figures
 * fall back to the default period rather than the page failing.
 */
export async function readInsightsPage(ctx: UserContext, params: Record<string, string | undefined>) {
  const asked = Object.fromEntries(FILTERS.map((k) => [k, params[k] ?? ""])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  let query: Record<string, string> = asked;
  let errors: FieldErrors | null = null;
  try {
    insightScope(ctx, asked);
  } catch (error) {
    if (!isAppError(error) || error.status !== 400) throw error;
    errors = error.fieldErrors ?? {};
    // Keep what parsed; the default period for the rest.
    query = Object.fromEntries(Object.entries(asked).filter(([k]) => !(k in errors!) && k !== "to" && k !== "from"));
  }
  const allowed = insightTeams(ctx.actor);
  const [leadTime, steps, sla, autoPass, rework, budgets, people, teamList, environments] = await Promise.all([
    readLeadTime(ctx, query),
    readStepWaits(ctx, query),
    readSla(ctx, query),
    readAutoPass(ctx, query),
    readRework(ctx, query),
    readBudgetFigures(ctx, query),
    maySeeInsightPeople(ctx.actor) ? readInsightPeople(ctx, query) : Promise.resolve(null),
    ctx.db.select({ id: teams.id, name: teams.name }).from(teams).orderBy(asc(teams.name)),
    listEnvironments(ctx.db, { archived: true }),
  ]);
  return {
    asked,
    errors,
    period: leadTime.period,
    teams: teamList.filter((t) => !allowed || allowed.includes(t.id)),
    environments: environments.map((e) => e.name),
    leadTime,
    steps,
    sla,
    autoPass,
    rework,
    budgets,
    people,
  };
}
