import "server-only";
import { and, eq, gt, lt, ne } from "drizzle-orm";
import { budgets, budgetSpend, budgetCommitments, teams } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { toMinorUnits } from "../cba/money";
import { Conflict, Forbidden, ValidationError } from "../errors";
import { defineVerb } from "../verb";
import { lockTeamBudgets } from "./lock";
import { isPeriodStart, periodContaining } from "./periods";
import { mayManageBudget } from "./permissions";
import { SetBudgetInput } from "./schemas";

/**
 * Sets a team's budget for a month or a quarter: creates it, or changes its amount. A team's budgets
 * never overlap in time, so "the budget for today" is always one row.
 */
export const setBudget = defineVerb({
  allow: ["manager", "admin"],
  input: SetBudgetInput,
  async run({ tx, actor, now }, input) {
    if (actor.kind === "user" && !mayManageBudget(actor, input.teamId))
      throw new Forbidden("You can set budgets for your own teams only.");
    if (!isPeriodStart(input.interval, input.periodStart)) {
      const field =
        input.interval === "month"
          ? "the first day of a month"
          : "the first day of a quarter (1 Jan, 1 Apr, 1 Jul or 1 Oct)";
      throw new ValidationError(`A ${input.interval}ly budget starts on ${field}.`, {
        periodStart: [`Start on ${field}.`],
      });
    }
    let amountMinor: number;
    try {
      amountMinor = toMinorUnits(input.amount, input.currency);
    } catch {
      throw new ValidationError("That amount is too large.", { amount: ["That amount is too large."] });
    }
    const period = periodContaining(input.interval, input.periodStart);
    const [team] = await tx.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.id, input.teamId));
    if (!team) throw new ValidationError("Unknown team.", { teamId: ["Unknown team."] });
    await lockTeamBudgets(tx, team.id);
    const [existing] = await tx
      .select()
      .from(budgets)
      .where(
        and(eq(budgets.teamId, team.id), eq(budgets.interval, input.interval), eq(budgets.periodStart, period.start)),
      );
    const [overlap] = await tx
      .select({ periodStart: budgets.periodStart, interval: budgets.interval })
      .from(budgets)
      .where(
        and(
          eq(budgets.teamId, team.id),
          lt(budgets.periodStart, period.end),
          gt(budgets.periodEnd, period.start),
          existing ? ne(budgets.id, existing.id) : undefined,
        ),
      );
    if (overlap)
      throw new Conflict(
        `${team.name} already has a ${overlap.interval}ly budget from ${overlap.periodStart} that overlaps this period.`,
      );
    if (existing && existing.currency !== input.currency) {
      const [used] = await tx
        .select({ id: budgetSpend.id })
        .from(budgetSpend)
        .where(eq(budgetSpend.budgetId, existing.id))
        .limit(1);
      const [held] = await tx
        .select({ id: budgetCommitments.id })
        .from(budgetCommitments)
        .where(eq(budgetCommitments.budgetId, existing.id))
        .limit(1);
      if (used || held)
        throw new ValidationError(
          `This budget already has spend or commitments in ${existing.currency}; its currency cannot change.`,
          { currency: [`Keep ${existing.currency}: spend and commitments are recorded in it.`] },
        );
    }
    const values = { currency: input.currency, amountMinor, updatedAt: now };
    const [budget] = existing
      ? await tx.update(budgets).set(values).where(eq(budgets.id, existing.id)).returning()
      : await tx
          .insert(budgets)
          .values({
            ...values,
            teamId: team.id,
            interval: input.interval,
            periodStart: period.start,
            periodEnd: period.end,
            createdBy: actor.kind === "user" ? actor.id : null,
            createdAt: now,
          })
          .returning();
    await recordAudit(
      tx,
      actor,
      {
        action: "budget.set",
        entityType: "budget",
        entityId: budget!.id,
        data: {
          team: team.name,
          interval: input.interval,
          periodStart: period.start,
          currency: input.currency,
          amountMinor,
          previousMinor: existing?.amountMinor ?? null,
        },
      },
      now,
    );
    return { budget: budget!, created: !existing };
  },
});
