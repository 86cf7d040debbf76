import Decimal from "decimal.js";

/**
 * A private Decimal constructor so the app's global decimal.js settings can never change our results.
 * 40 significant digits leave room to discount 1,200 periods and bisect an IRR to 1e-12 without
 * losing a cent; half-even is the banker's rounding the reference asks for.
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40 });

export const ZERO = new Dec(0);
export const ONE = new Dec(1);

export function sum(values: readonly Decimal[]): Decimal {
  return values.reduce((total, value) => total.plus(value), ZERO);
}

/** Rounds once, half-even, and never prints "-0.00" for a value that rounds to zero. */
export function fixed(value: Decimal, places: number): string {
  const rounded = new Dec(value).toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN);
  return (rounded.isZero() ? ZERO : rounded).toFixed(places);
}

/** Output conventions shared by every report: rates and ratios to 6 places, periods to 2. */
export const RATE_PLACES = 6;
export const PERIOD_PLACES = 2;

export function fixedOrNull(value: Decimal | null, places: number): string | null {
  return value === null ? null : fixed(value, places);
}
