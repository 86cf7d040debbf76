import "server-only";
import { eq } from "drizzle-orm";
import { budgetAlerts, budgets, budgetSpend, changeRequests, teams, type Budget } from "@/db/schema";
import { systemActor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { formatMoney, toMinorUnits } from "../cba/money";
import { getEnv } from "../env";
import { Forbidden, NotFound, ValidationError } from "../errors";
import { enqueueNotification } from "../notifications/enqueue";
import { holdersOf } from "../users/people";
import { defineVerb, type UnitOfWork } from "../verb";
import { crossedThresholds } from "./alerts";
import { forecastSpend, isWithin } from "./periods";
import { mayManageBudget } from "./permissions";
import { positionOf } from "./position";
import { RecordSpendInput } from "./schemas";

/**
 * Records actual spend against a team's budget (by a manager or an admin, in the UI or over the API)
 * and sends each 50/80/100% alert, of actual spend and of its linear forecast, the first time it is reached.
 */
export const recordSpend = defineVerb({
  allow: ["manager", "admin"],
  input: RecordSpendInput,
  async run({ work, tx, actor, now }, input) {
    // Locked: concurrent entries take turns, so each alert is decided (and sent) once.
    const [budget] = await tx.select().from(budgets).where(eq(budgets.id, input.budgetId)).for("update");
    if (!budget) throw new NotFound("No such budget.");
    if (actor.kind === "user" && !mayManageBudget(actor, budget.teamId))
      throw new Forbidden("You can record spend for your own teams only.");
    if (input.currency && input.currency !== budget.currency) {
      throw new ValidationError(
        `This budget is in ${budget.currency}; amounts in ${input.currency} cannot be added to it.`,
        { currency: [`Enter the amount in ${budget.currency}.`] },
      );
    }
    if (!isWithin({ start: budget.periodStart, end: budget.periodEnd }, input.spentOn)) {
      throw new ValidationError("That date is outside the budget's period.", {
        spentOn: [`Pick a date from ${budget.periodStart} to before ${budget.periodEnd}.`],
      });
    }
    let requestId: string | null = null;
    if (input.request !== undefined) {
      const [request] = await tx
        .select({ id: changeRequests.id, teamId: changeRequests.teamId })
        .from(changeRequests)
        .where(eq(changeRequests.number, input.request));
      if (!request || request.teamId !== budget.teamId)
        throw new ValidationError(`CR-${input.request} is not a request of this team.`, {
          request: [`CR-${input.request} is not a request of this team.`],
        });
      requestId = request.id;
    }
    const amountMinor = toMinorUnits(input.amount, budget.currency);
    const [entry] = await tx
      .insert(budgetSpend)
      .values({
        budgetId: budget.id,
        amountMinor,
        spentOn: input.spentOn,
        description: input.description,
        requestId,
        recordedBy: actor.kind === "user" ? actor.id : null,
        createdAt: now,
      })
      .returning();
    await recordAudit(
      tx,
      actor,
      {
        action: "budget.spend_recorded",
        entityType: "budget",
        entityId: budget.id,
        data: {
          amountMinor,
          currency: budget.currency,
          spentOn: input.spentOn,
          description: input.description,
          request: input.request ?? null,
        },
      },
      now,
    );
    const alerts = await sendAlerts(work, budget);
    return { entry: entry!, alerts };
  },
});

async function sendAlerts(work: UnitOfWork, budget: Budget) {
  const { tx, now } = work;
  const position = await positionOf(tx, budget);
  const forecast = forecastSpend(position.spentMinor, { start: budget.periodStart, end: budget.periodEnd }, now);
  const crossings = crossedThresholds(budget.amountMinor, position.spentMinor, forecast);
  if (!crossings.length) return [];
  const fresh = await tx
    .insert(budgetAlerts)
    .values(
      crossings.map((c) => ({
        budgetId: budget.id,
        basis: c.basis,
        threshold: c.threshold,
        valueMinor: c.valueMinor,
        sentAt: now,
      })),
    )
    .onConflictDoNothing()
    .returning();
  if (!fresh.length) return [];
  const [team] = await tx.select({ name: teams.name }).from(teams).where(eq(teams.id, budget.teamId));
  const [managers, admins] = await Promise.all([holdersOf(tx, "manager", budget.teamId), holdersOf(tx, "admin")]);
  const people = [...new Map([...managers, ...admins].map((p) => [p.id, p])).values()];
  const money = (minor: number) => formatMoney(minor, budget.currency);
  // Only the highest newly reached threshold per basis is worth an email; the others are recorded as sent.
  const worth = ["actual", "forecast"]
    .map((basis) => fresh.filter((a) => a.basis === basis).sort((a, b) => b.threshold - a.threshold)[0])
    .filter((a) => a !== undefined);
  for (const alert of worth) {
    for (const person of people) {
      await enqueueNotification(work, {
        to: person.email,
        userId: person.id,
        template: "budget-alert",
        props: {
          team: team?.name ?? "Team",
          period: position.label,
          basis: alert.basis,
          threshold: alert.threshold,
          value: money(alert.valueMinor),
          budget: money(budget.amountMinor),
          remaining: money(position.remainingMinor),
          url: `${getEnv().appUrl}/budgets?team=${budget.teamId}`,
        },
      });
    }
    await recordAudit(
      tx,
      systemActor("budgets"),
      {
        action: "budget.alert_sent",
        entityType: "budget",
        entityId: budget.id,
        data: {
          basis: alert.basis,
          threshold: alert.threshold,
          valueMinor: alert.valueMinor,
          recipients: people.length,
        },
      },
      now,
    );
  }
  return fresh.map((a) => ({ basis: a.basis, threshold: a.threshold }));
}
