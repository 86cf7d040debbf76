import type { AlertBasis, Budget, BudgetSpend } from "@/db/schema";
import { currencyDigits, fromMinorUnits } from "../cba/money";
import type { BudgetPosition } from "./position";
import type { budgetDetail } from "./queries";

type BudgetDetail = NonNullable<Awaited<ReturnType<typeof budgetDetail>>>;

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

/** A budget as set (POST /api/v1/budgets): its period and amount. */
export function budgetSetJson(
  b: Pick<Budget, "id" | "teamId" | "interval" | "periodStart" | "periodEnd" | "currency" | "amountMinor">,
) {
  return {
    id: b.id,
    teamId: b.teamId,
    interval: b.interval,
    periodStart: b.periodStart,
    periodEnd: b.periodEnd,
    currency: b.currency,
    amountMinor: b.amountMinor,
  };
}

/** One budget in full (GET /api/v1/budgets/{id}): its position, spend entries, commitments and alerts. */
export function budgetDetailJson(detail: BudgetDetail) {
  return {
    ...budgetJson({ ...detail.position, forecastMinor: detail.forecastMinor }),
    spend: detail.spend.map((s) => ({
      id: s.id,
      amountMinor: s.amountMinor,
      spentOn: s.spentOn,
      description: s.description,
      request: s.requestNumber ? `CR-${s.requestNumber}` : null,
    })),
    commitments: detail.commitments.map((c) => ({
      request: `CR-${c.number}`,
      amountMinor: c.amountMinor,
      status: c.status,
      releaseReason: c.releaseReason,
    })),
    alerts: detail.alerts.map((a) => ({
      basis: a.basis,
      threshold: a.threshold,
      valueMinor: a.valueMinor,
      sentAt: a.sentAt,
    })),
  };
}

/** A spend entry just recorded, with the alerts it set off (POST /api/v1/budgets/{id}/spend). */
export function spendRecordedJson(r: {
  entry: Pick<BudgetSpend, "id" | "amountMinor" | "spentOn">;
  alerts: { basis: AlertBasis; threshold: number }[];
}) {
  return {
    id: r.entry.id,
    amountMinor: r.entry.amountMinor,
    spentOn: r.entry.spentOn,
    alerts: r.alerts.map((a) => ({ basis: a.basis, threshold: a.threshold })),
  };
}
