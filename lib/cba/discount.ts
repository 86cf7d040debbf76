import type Decimal from "decimal.js";
import { Dec, ONE, ZERO } from "./decimal";
import type { Period } from "./types";

const MONTHS_PER_YEAR = 12;

/** The compound-equivalent rate per analysis period: 10% a year is ~0.797% a month, not 10/12. */
export function periodRate(annualRate: Decimal.Value, period: Period): Decimal {
  const annual = new Dec(annualRate);
  if (period === "year") return annual;
  return ONE.plus(annual).pow(ONE.div(MONTHS_PER_YEAR)).minus(ONE);
}

/** Per-period rate back to the annual rate people quote. */
export function annualRate(ratePerPeriod: Decimal.Value, period: Period): Decimal {
  const rate = new Dec(ratePerPeriod);
  if (period === "year") return rate;
  return ONE.plus(rate).pow(MONTHS_PER_YEAR).minus(ONE);
}

/** 1/(1+i)^t for t = 0..count-1; t = 0 is 1 because today's money is not discounted. */
export function discountFactors(ratePerPeriod: Decimal.Value, count: number): Decimal[] {
  const growth = ONE.plus(ratePerPeriod);
  const factors: Decimal[] = [];
  let factor = ONE;
  for (let t = 0; t < count; t += 1) {
    factors.push(factor);
    factor = factor.div(growth);
  }
  return factors;
}

/**
 * NPV with the first flow at t = 0, undiscounted (numpy-financial). Spreadsheet NPV() discounts it a
 * period, which on the reference case shows -478.11 instead of -525.92. Horner's scheme in 1/(1+i)
 * keeps this cheap enough to call hundreds of times while scanning for IRRs.
 */
export function npv(flows: readonly Decimal.Value[], ratePerPeriod: Decimal.Value): Decimal {
  const inverse = ONE.div(ONE.plus(ratePerPeriod));
  let total = ZERO;
  for (let t = flows.length - 1; t >= 0; t -= 1) total = total.times(inverse).plus(flows[t] ?? 0);
  return total;
}
