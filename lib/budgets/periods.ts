import type { BudgetInterval } from "@/db/schema/budgets";

// Budget periods are calendar months or quarters in UTC, as ISO dates [start, end).

const iso = (d: Date) => d.toISOString().slice(0, 10);
const utc = (value: string) => new Date(`${value}T00:00:00Z`);
const DAY = 86_400_000;

export function periodContaining(interval: BudgetInterval, when: Date | string): { start: string; end: string } {
  const d = typeof when === "string" ? utc(when) : when;
  const year = d.getUTCFullYear();
  const month = interval === "month" ? d.getUTCMonth() : Math.floor(d.getUTCMonth() / 3) * 3;
  const length = interval === "month" ? 1 : 3;
  return { start: iso(new Date(Date.UTC(year, month, 1))), end: iso(new Date(Date.UTC(year, month + length, 1))) };
}

/** Whether a date is the first day of a period of that interval (budgets always start on one). */
export function isPeriodStart(interval: BudgetInterval, date: string): boolean {
  return periodContaining(interval, date).start === date;
}

export function periodLabel(interval: BudgetInterval, start: string): string {
  const d = utc(start);
  if (interval === "quarter") return `Q${Math.floor(d.getUTCMonth() / 3) + 1} ${d.getUTCFullYear()}`;
  return d.toLocaleDateString("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
}

export function daysBetween(start: string, end: string): number {
  return Math.round((utc(end).getTime() - utc(start).getTime()) / DAY);
}

/** Whole days of the period that have passed by `now` (today counts), capped at the period's length. */
export function daysElapsed(period: { start: string; end: string }, now: Date): number {
  const total = daysBetween(period.start, period.end);
  const elapsed = Math.floor((now.getTime() - utc(period.start).getTime()) / DAY) + 1;
  return Math.max(0, Math.min(total, elapsed));
}

export const MIN_FORECAST_DAYS = 3;

/**
 * Linear forecast of the period's spend: spend so far / days elapsed x days in the period, once at
 * least three days of the period have passed (earlier, a single invoice would swing it wildly).
 */
export function forecastSpend(spentMinor: number, period: { start: string; end: string }, now: Date): number | null {
  const elapsed = daysElapsed(period, now);
  if (elapsed < MIN_FORECAST_DAYS) return null;
  return Math.round((spentMinor / elapsed) * daysBetween(period.start, period.end));
}

export function isWithin(period: { start: string; end: string }, date: string): boolean {
  return date >= period.start && date < period.end;
}

/** Today and the current month's first day, for form defaults (UTC, like the periods). */
export function calendarToday(now = new Date()) {
  return { today: iso(now), monthStart: periodContaining("month", now).start };
}
