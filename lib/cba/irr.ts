import type Decimal from "decimal.js";
import { Dec } from "./decimal";
import { annualRate, npv } from "./discount";
import type { Period } from "./types";

/** The search range per period, (-0.99, 10]: below -99% the discount factors explode, above 1000% is noise. */
const LOWEST = new Dec("-0.99");
const HIGHEST = new Dec(10);
/** Bisection stops well inside the 6 decimal places we report, even after annualising a monthly rate. */
const TOLERANCE = new Dec("1e-12");
const MAX_BISECTIONS = 200;

/**
 * Scan points for flows that can have several IRRs: dense where real projects' rates live (within
 * +-10% per period every 0.05%), coarser towards the ends. Two roots closer than a step would cancel
 * out unseen; that is the price of a scan that stays fast on 1,201 monthly flows.
 */
const GRID_SEGMENTS: readonly [to: string, step: string][] = [
  ["-0.5", "0.01"],
  ["-0.1", "0.002"],
  ["0.1", "0.0005"],
  ["1", "0.002"],
  ["10", "0.05"],
];

let grid: Decimal[] | null = null;

function scanGrid(): Decimal[] {
  if (grid) return grid;
  const points = [LOWEST];
  let rate = LOWEST;
  for (const [to, step] of GRID_SEGMENTS) {
    while (rate.lt(to)) {
      rate = rate.plus(step);
      points.push(rate);
    }
  }
  grid = points;
  return points;
}

/** Sign changes in the flows, ignoring zeros: by Descartes' rule, the most IRRs there can be. */
export function signChanges(flows: readonly Decimal.Value[]): number {
  let changes = 0;
  let previous = 0;
  for (const flow of flows) {
    const sign = new Dec(flow).comparedTo(0);
    if (sign === 0) continue;
    if (previous !== 0 && sign !== previous) changes += 1;
    previous = sign;
  }
  return changes;
}

function bisect(flows: readonly Decimal[], low: Decimal, high: Decimal, npvAtLow: Decimal): Decimal {
  let [lo, hi, atLo] = [low, high, npvAtLow];
  for (let step = 0; step < MAX_BISECTIONS && hi.minus(lo).gt(TOLERANCE); step += 1) {
    const mid = lo.plus(hi).div(2);
    const atMid = npv(flows, mid);
    if (atMid.isZero()) return mid;
    if (atMid.isNeg() === atLo.isNeg()) [lo, atLo] = [mid, atMid];
    else hi = mid;
  }
  return lo.plus(hi).div(2);
}

/**
 * Every per-period IRR in (-0.99, 10], ascending. With a single sign change there is exactly one root
 * (Descartes), so the two ends of the range bracket it and no scan is needed.
 */
export function irrRoots(values: readonly Decimal.Value[]): Decimal[] {
  // Parsed once here: the scan evaluates NPV over a thousand times.
  const flows = values.map((value) => new Dec(value));
  const changes = signChanges(flows);
  if (changes === 0) return [];
  const points = changes === 1 ? [LOWEST, HIGHEST] : scanGrid();
  const roots: Decimal[] = [];
  let previousRate = LOWEST;
  let previousValue = npv(flows, LOWEST);
  for (const rate of points.slice(1)) {
    // Descartes caps the roots at the number of sign changes: once all are found, the rest of the scan is waste.
    if (roots.length === changes) break;
    const value = npv(flows, rate);
    if (value.isZero()) roots.push(rate);
    else if (!previousValue.isZero() && previousValue.isNeg() !== value.isNeg()) {
      roots.push(bisect(flows, previousRate, rate, previousValue));
    }
    [previousRate, previousValue] = [rate, value];
  }
  return roots;
}

export interface IrrResult {
  /** Annual rates, whatever the period of the flows. */
  rates: Decimal[];
  warnings: string[];
}

export function irr(flows: readonly Decimal.Value[], period: Period): IrrResult {
  const changes = signChanges(flows);
  if (changes === 0) return { rates: [], warnings: ["IRR is undefined: cash flows never change sign."] };
  const rates = irrRoots(flows).map((root) => annualRate(root, period));
  const warnings: string[] = [];
  if (rates.length === 0) warnings.push(`No IRR lies between -99% and 1000% per ${period}.`);
  if (changes > 1) {
    warnings.push(
      `Cash flows change sign ${changes} times, so several IRRs can exist (${rates.length} found): judge this by NPV instead.`,
    );
  }
  return { rates, warnings };
}
