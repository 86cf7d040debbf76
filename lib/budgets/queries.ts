import "server-only";
import { and, asc, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "@/db";
import {
  budgetAlerts,
  budgetCommitments,
  budgets,
  budgetSpend,
  changeRequests,
  teams,
  users,
  type ChangeRequest,
} from "@/db/schema";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { NotFound } from "../errors";
import { parseInput } from "../validation";
import { daysBetween, forecastSpend } from "./periods";
import { mayManageBudget, mayReadBudgets } from "./permissions";
import { currentBudget, positionOf, type BudgetPosition } from "./position";

/** The teams whose budgets a person may see: those they manage (lib/budgets/permissions.ts). */
async function budgetTeams(db: Db, person: Parameters<typeof mayManageBudget>[0]) {
  const all = await db.select({ id: teams.id, name: teams.name }).from(teams).orderBy(asc(teams.name));
  return all.filter((t) => mayManageBudget(person, t.id));
}

const NOT_BUDGETS = "This needs the manager or admin role.";

// ?team= narrows the list to one team; an empty value is no filter.
export const BudgetListQuery = z.object({
  team: z.preprocess((v) => (v === "" ? undefined : v), z.uuid("Give a team's id.").optional()),
});

/** Budgets of the teams the caller manages (admins: every team), newest period first per team. */
export async function readTeamBudgets(ctx: UserContext, query: unknown) {
  permit(mayReadBudgets(ctx.actor), NOT_BUDGETS);
  const { team } = parseInput(BudgetListQuery, query);
  const shown = (await budgetTeams(ctx.db, ctx.actor)).filter((t) => !team || t.id === team);
  return Promise.all(shown.map(async (t) => ({ team: t, budgets: await teamBudgets(ctx.db, t.id) })));
}

/** One budget in full, for a manager of its team or an admin. */
export async function readBudget(ctx: UserContext, input: { id: string }) {
  permit(mayReadBudgets(ctx.actor), NOT_BUDGETS);
  const id = z.uuid().safeParse(input.id);
  const detail = id.success ? await budgetDetail(ctx.db, id.data) : null;
  if (!detail) throw new NotFound("No such budget.");
  permit(mayManageBudget(ctx.actor, detail.budget.teamId), "You can see your own teams' budgets only.");
  return detail;
}

/**
 * The budgets page: the teams the caller manages, the chosen one (or the first), its periods and the
 * chosen period (or the current one) in full. Unknown choices fall back rather than fail.
 */
export async function readBudgetsPage(ctx: UserContext, choice: { team?: string; budget?: string }) {
  permit(mayReadBudgets(ctx.actor), NOT_BUDGETS);
  const teams = await budgetTeams(ctx.db, ctx.actor);
  const team = teams.find((t) => t.id === choice.team) ?? teams[0];
  if (!team) return { teams, team: null, periods: [], selected: undefined, detail: null };
  const periods = await teamBudgets(ctx.db, team.id);
  const selected = periods.find((p) => p.budgetId === choice.budget) ?? periods.find((p) => p.current) ?? periods[0];
  const detail = selected ? await budgetDetail(ctx.db, selected.budgetId) : null;
  return { teams, team, periods, selected, detail };
}

export async function teamBudgets(db: Db, teamId: string, now = new Date()) {
  const rows = await db.select().from(budgets).where(eq(budgets.teamId, teamId)).orderBy(desc(budgets.periodStart));
  const positions = await Promise.all(rows.map((b) => positionOf(db, b)));
  const today = now.toISOString().slice(0, 10);
  return positions.map((p) => ({
    ...p,
    current: p.periodStart <= today && today < p.periodEnd,
    forecastMinor: forecastSpend(p.spentMinor, { start: p.periodStart, end: p.periodEnd }, now),
  }));
}

/** One budget in full: entries, commitments, alerts and the cumulative spend per day for the burn chart. */
export async function budgetDetail(db: Db, budgetId: string, now = new Date()) {
  const [budget] = await db.select().from(budgets).where(eq(budgets.id, budgetId));
  if (!budget) return null;
  const [position, spend, commitments, alerts] = await Promise.all([
    positionOf(db, budget),
    db
      .select({
        id: budgetSpend.id,
        amountMinor: budgetSpend.amountMinor,
        spentOn: budgetSpend.spentOn,
        description: budgetSpend.description,
        requestNumber: changeRequests.number,
        recordedBy: users.name,
        recordedByEmail: users.email,
        createdAt: budgetSpend.createdAt,
      })
      .from(budgetSpend)
      .leftJoin(changeRequests, eq(changeRequests.id, budgetSpend.requestId))
      .leftJoin(users, eq(users.id, budgetSpend.recordedBy))
      .where(eq(budgetSpend.budgetId, budget.id))
      .orderBy(asc(budgetSpend.spentOn), asc(budgetSpend.createdAt)),
    db
      .select({
        id: budgetCommitments.id,
        amountMinor: budgetCommitments.amountMinor,
        status: budgetCommitments.status,
        releaseReason: budgetCommitments.releaseReason,
        createdAt: budgetCommitments.createdAt,
        number: changeRequests.number,
        title: changeRequests.title,
      })
      .from(budgetCommitments)
      .innerJoin(changeRequests, eq(changeRequests.id, budgetCommitments.requestId))
      .where(eq(budgetCommitments.budgetId, budget.id))
      .orderBy(desc(budgetCommitments.createdAt)),
    db.select().from(budgetAlerts).where(eq(budgetAlerts.budgetId, budget.id)).orderBy(asc(budgetAlerts.sentAt)),
  ]);
  return {
    budget,
    position,
    spend,
    commitments,
    alerts,
    burn: burnSeries(budget.periodStart, budget.periodEnd, spend, now),
    forecastMinor: forecastSpend(position.spentMinor, { start: budget.periodStart, end: budget.periodEnd }, now),
  };
}

/** Cumulative spend at the end of each day of the period, up to today (or the period's end). */
export function burnSeries(start: string, end: string, spend: { amountMinor: number; spentOn: string }[], now: Date) {
  const days = daysBetween(start, end);
  const today = now.toISOString().slice(0, 10);
  const points: { day: number; date: string; cumulativeMinor: number }[] = [];
  let total = 0;
  let i = 0;
  const sorted = [...spend].sort((a, b) => a.spentOn.localeCompare(b.spentOn));
  for (let d = 0; d < days; d++) {
    const date = new Date(Date.parse(`${start}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
    if (date > today) break;
    while (i < sorted.length && sorted[i]!.spentOn <= date) total += sorted[i++]!.amountMinor;
    points.push({ day: d + 1, date, cumulativeMinor: total });
  }
  return { days, points };
}

export type BudgetImpact = {
  position: BudgetPosition;
  costMinor: number;
  heldByThisRequest: boolean;
  sameCurrency: boolean;
  afterMinor: number;
};

/** What approving this request does to its team's current budget (shown to the approving manager). */
export async function budgetImpact(
  db: Db | Tx,
  request: Pick<ChangeRequest, "id" | "teamId" | "currency" | "totalCostMinor">,
  now = new Date(),
): Promise<BudgetImpact | null | "no-budget"> {
  if (request.totalCostMinor === null || !request.currency) return null;
  const budget = await currentBudget(db, request.teamId, now);
  if (!budget) return "no-budget";
  const position = await positionOf(db, budget);
  const [held] = await db
    .select({ id: budgetCommitments.id })
    .from(budgetCommitments)
    .where(
      and(
        eq(budgetCommitments.requestId, request.id),
        eq(budgetCommitments.status, "held"),
        eq(budgetCommitments.budgetId, budget.id),
      ),
    );
  const sameCurrency = budget.currency === request.currency;
  // A held commitment is already inside "committed": before = remaining + it, after = remaining.
  const beforeMinor = held ? position.remainingMinor + request.totalCostMinor : position.remainingMinor;
  return {
    position: { ...position, remainingMinor: beforeMinor },
    costMinor: request.totalCostMinor,
    heldByThisRequest: Boolean(held),
    sameCurrency,
    afterMinor: beforeMinor - request.totalCostMinor,
  };
}
