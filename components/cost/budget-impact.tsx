import { formatMoney } from "@/lib/cba/money";
import type { BudgetImpact as Impact } from "@/lib/budgets/queries";
import { cn } from "@/lib/utils";

/** What approving the request does to the team's budget for the current period, before and after. */
export function BudgetImpact({ impact, team }: { impact: Impact | "no-budget"; team: string }) {
  if (impact === "no-budget") {
    return (
      <p className="text-sm text-muted-foreground">
        {team} has no budget for the current period: the cost is not checked against one.
      </p>
    );
  }
  const { position: p } = impact;
  if (!impact.sameCurrency) {
    return (
      <p className="text-sm text-muted-foreground">
        The request is costed in another currency than the {p.label} budget ({p.currency}); the two are not compared.
      </p>
    );
  }
  const m = (minor: number) => formatMoney(minor, p.currency);
  const over = impact.afterMinor < 0;
  return (
    <div className="flex flex-col gap-3 text-sm">
      <dl className="grid grid-cols-3 gap-3">
        <div>
          <dt className="text-xs font-medium text-muted-foreground">Remaining before</dt>
          <dd className="text-base font-semibold tabular-nums">{m(p.remainingMinor)}</dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-muted-foreground">This request</dt>
          <dd className="text-base font-semibold tabular-nums">−{m(impact.costMinor)}</dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-muted-foreground">Remaining after</dt>
          <dd
            className={cn(
              "text-base font-semibold tabular-nums",
              over ? "text-destructive" : "text-success-soft-foreground",
            )}
          >
            {m(impact.afterMinor)}
          </dd>
        </div>
      </dl>
      <p className={cn("text-xs", over ? "font-medium text-destructive" : "text-muted-foreground")}>
        {over
          ? `Over budget: approving puts ${team} ${m(-impact.afterMinor)} beyond its ${p.label} budget of ${m(p.amountMinor)}.`
          : `${team}'s ${p.label} budget: ${m(p.amountMinor)}, of which ${m(p.spentMinor)} spent and ${m(p.committedMinor)} committed.`}
        {impact.heldByThisRequest && " This request's cost is already committed."}
      </p>
    </div>
  );
}
