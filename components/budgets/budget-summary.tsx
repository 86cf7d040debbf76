import { Badge } from "@/components/ui/badge";
import { formatMoney } from "@/lib/cba/money";
import type { BudgetPosition } from "@/lib/budgets/position";

/** The period's money in one row of figures plus a bar: spent, committed, what remains (text and colour). */
export function BudgetSummary({ position, forecastMinor }: { position: BudgetPosition; forecastMinor: number | null }) {
  const money = (minor: number) => formatMoney(minor, position.currency);
  const total = Math.max(position.amountMinor, position.spentMinor + position.committedMinor, 1);
  const pct = (v: number) => `${Math.max(0, (v / total) * 100).toFixed(1)}%`;
  const used =
    position.amountMinor > 0
      ? Math.round(((position.spentMinor + position.committedMinor) / position.amountMinor) * 100)
      : null;
  const over = position.remainingMinor < 0;
  const figures = [
    { label: "Budget", value: money(position.amountMinor) },
    { label: "Spent", value: money(position.spentMinor) },
    { label: "Committed", value: money(position.committedMinor), hint: "Approved requests not yet spent" },
    {
      label: "Remaining",
      value: money(position.remainingMinor),
      tone: over ? "text-destructive" : "text-success-soft-foreground",
    },
    {
      label: "Forecast spend",
      value: forecastMinor === null ? "After 3 days" : money(forecastMinor),
      tone: forecastMinor !== null && forecastMinor > position.amountMinor ? "text-destructive" : undefined,
    },
  ];
  return (
    <div className="flex flex-col gap-4">
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5">
        {figures.map((f) => (
          <div key={f.label} className="flex flex-col gap-0.5">
            <dt className="text-xs font-medium text-muted-foreground" title={f.hint}>
              {f.label}
            </dt>
            <dd className={`text-lg font-semibold tabular-nums ${f.tone ?? ""}`}>{f.value}</dd>
          </div>
        ))}
      </dl>
      <div className="flex flex-col gap-1.5">
        <div className="flex h-3 w-full overflow-hidden rounded-full bg-muted" aria-hidden="true">
          <div className="h-full bg-primary" style={{ width: pct(position.spentMinor) }} />
          <div className="h-full bg-info" style={{ width: pct(position.committedMinor) }} />
        </div>
        <p className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
          {over ? (
            <Badge variant="destructive">Over budget</Badge>
          ) : used !== null && used >= 80 ? (
            <Badge variant="warning">{used}% used</Badge>
          ) : (
            <Badge variant="success">Within budget</Badge>
          )}
          <span>
            {used === null ? "No amount set." : `${used}% of the budget is spent or committed.`} Dark: spent · blue:
            committed.
          </span>
        </p>
      </div>
    </div>
  );
}
