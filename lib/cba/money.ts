import Decimal from "decimal.js";
import { Dec, fixed } from "./decimal";

/**
 * Money crosses module boundaries as integer minor units (cents, yen, fils) in JS numbers, so every
 * conversion checks it stays a safe integer; arithmetic on amounts happens in Decimal.
 */

const ISO_4217 = new Set(Intl.supportedValuesOf("currency"));

export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && ISO_4217.has(code);
}

function assertCurrency(currency: string): void {
  if (!isCurrency(currency)) throw new RangeError(`Unknown currency code ${currency} (use ISO 4217, e.g. USD).`);
}

/** Intl, not a hand-kept table, decides decimals so we agree with how the browser formats the same code. */
export function currencyDigits(currency: string): number {
  assertCurrency(currency);
  const options = new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions();
  return options.maximumFractionDigits ?? 2;
}

function minorScale(currency: string): Decimal {
  return new Dec(10).pow(currencyDigits(currency));
}

function assertSafeMinor(minor: number): void {
  if (!Number.isSafeInteger(minor))
    throw new RangeError(`${minor} is not a whole number of minor units within the safe integer range.`);
}

/** The single place an amount is rounded to the currency's precision (half-even, once). */
export function toMinorUnits(amount: Decimal | string, currency: string): number {
  const minor = new Dec(amount).times(minorScale(currency)).toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN);
  if (!minor.isFinite() || minor.abs().gt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`${new Dec(amount).toFixed()} ${currency} is too large to hold in minor units.`);
  }
  return minor.isZero() ? 0 : minor.toNumber();
}

export function fromMinorUnits(minor: number, currency: string): Decimal {
  assertSafeMinor(minor);
  return new Dec(minor).div(minorScale(currency));
}

/** Formats from the exact decimal string: passing a float to Intl would reintroduce drift on large sums. */
export function formatMoney(minor: number, currency: string, locale = "en-US"): string {
  const digits = currencyDigits(currency);
  const exact = fixed(fromMinorUnits(minor, currency), digits) as `${number}`;
  const format = new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return format.format(exact);
}

/** Integer arithmetic on scaled weights needs more digits than the money maths; 200 covers any sane input. */
const Exact = Dec.clone({ precision: 200 });

function readWeight(weight: number | string, index: number): Decimal {
  let value: Decimal;
  try {
    value = new Exact(weight);
  } catch {
    throw new RangeError(`Weight ${index + 1} is not a number.`);
  }
  if (!value.isFinite() || value.isNeg())
    throw new RangeError(`Weight ${index + 1} must be a finite number of zero or more.`);
  return value;
}

/**
 * Largest-remainder split: each part gets the floor of its exact share, then the leftover minor units
 * go to the largest remainders (earlier parts win ties), so the parts always add up to the total.
 */
export function allocate(totalMinor: number, weights: readonly (number | string)[]): number[] {
  assertSafeMinor(totalMinor);
  if (weights.length === 0) throw new RangeError("Cannot allocate across zero parts.");
  const read = weights.map(readWeight);
  // Scaling to whole numbers keeps every remainder exact, so ties really are ties.
  const places = Math.max(...read.map((w) => w.decimalPlaces()));
  const scaled = read.map((w) => w.times(new Exact(10).pow(places)));
  const weightTotal = scaled.reduce((acc, w) => acc.plus(w), new Exact(0));
  if (weightTotal.isZero()) throw new RangeError("Cannot allocate when every weight is zero.");

  // Allocate the magnitude, then restore the sign, so refunds split the same way as charges.
  const total = new Exact(Math.abs(totalMinor));
  const shares = scaled.map((w, index) => {
    const numerator = total.times(w);
    const floor = numerator.divToInt(weightTotal);
    return { index, floor, remainder: numerator.minus(floor.times(weightTotal)) };
  });
  let leftover = shares.reduce((acc, s) => acc.minus(s.floor), total).toNumber();
  const byRemainder = [...shares].sort((a, b) => b.remainder.comparedTo(a.remainder) || a.index - b.index);
  const parts = shares.map((s) => s.floor.toNumber());
  for (const share of byRemainder) {
    if (leftover <= 0) break;
    parts[share.index] = (parts[share.index] ?? 0) + 1;
    leftover -= 1;
  }
  const sign = totalMinor < 0 ? -1 : 1;
  return parts.map((part) => (part === 0 ? 0 : sign * part));
}
