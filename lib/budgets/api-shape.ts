import { currencyDigits, fromMinorUnits } from "../cba/money";
import type { BudgetPosition } from "./position";

/** A budget as /api/v1 shows it: minor units for machines, decimal strings for people. */
export function budgetJson(p: BudgetPosition & { forecastMinor: number | null }, team?: string) {
  const decimal = (minor: number | null) =>
    minor === null ? null : fromMinorUnits(minor, p.currency).toFixed(currencyDigits(p.currency));
  return {
    id: p.budgetId,
    teamId: p.teamId,
    ...(team ? { team } : {}),
    period: p.label,
    interval: p.interval,
    periodStart: p.periodStart,
    periodEnd: p.periodEnd,
    currency: p.currency,
    amountMinor: p.amountMinor,
    spentMinor: p.spentMinor,
    committedMinor: p.committedMinor,
    remainingMinor: p.remainingMinor,
    forecastMinor: p.forecastMinor,
    amount: decimal(p.amountMinor),
    spent: decimal(p.spentMinor),
    committed: decimal(p.committedMinor),
    remaining: decimal(p.remainingMinor),
    forecast: decimal(p.forecastMinor),
  };
}
