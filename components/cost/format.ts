import { formatMoney, toMinorUnits } from "@/lib/cba/money";

// Display helpers for the report's decimal strings (exact: never through a float for money).

export const money = (decimal: string, currency: string) => formatMoney(toMinorUnits(decimal, currency), currency);

export const percent = (fraction: string | null) =>
  fraction === null ? "—" : `${(Number(fraction) * 100).toFixed(2)}%`;

export const ratio = (value: string | null) => (value === null ? "—" : Number(value).toFixed(2));

export const periods = (value: string | null, period: "month" | "year") =>
  value === null ? "never" : `${value} ${period === "year" ? "years" : "months"}`;

export const label = (value: string) => value.replace(/_/g, " ");
