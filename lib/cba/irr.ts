import type Decimal from "decimal.js";
import { Dec, ONE } from "./decimal";
import { annualRate, npv } from "./discount";
import type { Period } from "./types";

/** The search range per period, (-0.99, 10]: below -99% the discount factors explode, above 1000% is noise. */
const LOWEST = new Dec("-0.99");
const HIGHEST = new Dec(10);
/** Bisection stops well inside the 6 decimal places we report, even after annualising a monthly rate. */
const TOLERANCE = new Dec("1e-12");
/** Halving the widest bracket, (-0.99, 10], reaches TOLERANCE in 44 steps: more is never needed. */
export const MAX_BISECTIONS = 64;
/**
 * Roots reported at most. Past two, the IRR says nothing a reader can use (the warning says to judge by
 * NPV), and a series of 1,201 flows may change sign 1,200 times: the search stops at this many.
 */
export const MAX_ROOTS = 10;
/**
 * NPVs computed in Decimal at most, per search: one costs up to ~5 ms on 1,201 flows of 25 digits.
 * Every other evaluation is float64 with a proven error bound (see `signAt`); Decimal is needed only
 * within ~1e-12 of a root, a few times per root.
 */
export const MAX_EXACT_EVALUATIONS = 60;

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

/** The most NPV evaluations one search can make: the grid, then MAX_BISECTIONS for each root. */
export const MAX_EVALUATIONS = 1 + scanGrid().length + MAX_ROOTS * MAX_BISECTIONS;

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

type Sign = -1 | 0 | 1;
/** Raised when the Decimal budget is spent: the search ends with what it found. */
class BudgetSpent extends Error {}

/** One search's flows and what it has spent. */
class NpvSigns {
  readonly floats: Float64Array;
  evaluations = 0;
  exact = 0;
  constructor(readonly flows: readonly Decimal[]) {
    this.floats = Float64Array.from(flows, (flow) => flow.toNumber());
  }

  /**
   * The sign of NPV at `rate`: from float64 when its error bound proves it, else from Decimal. With
   * base z = 1/(1+r) for r >= 0, or z = 1+r for r < 0 (NPV times (1+r)^(n-1), the same sign), |z| <= 1,
   * so nothing overflows. Horner's scheme over n terms errs by at most 2n ulps of S = sum |f_t| z^t;
   * rounding the flows and z adds n + 1 more; twice that is the margin. A sign the bound cannot prove
   * (NPV within ~1e-12 of S, i.e. next to a root) is taken from Decimal, so the scan and the bisection
   * follow exactly the signs an all-Decimal search would, at a fraction of its cost.
   */
  signAt(rate: Decimal): Sign {
    this.evaluations += 1;
    const { floats } = this;
    const n = floats.length;
    let value = 0;
    let magnitude = 0;
    if (rate.isNeg()) {
      const z = ONE.plus(rate).toNumber();
      for (let t = 0; t < n; t += 1) {
        value = value * z + floats[t]!;
        magnitude = magnitude * z + Math.abs(floats[t]!);
      }
    } else {
      const z = ONE.div(ONE.plus(rate)).toNumber();
      for (let t = n - 1; t >= 0; t -= 1) {
        value = value * z + floats[t]!;
        magnitude = magnitude * z + Math.abs(floats[t]!);
      }
    }
    const bound = 2 * (3 * n + 2) * Number.EPSILON * magnitude + n * Number.MIN_VALUE;
    if (Math.abs(value) > bound) return value > 0 ? 1 : -1;
    if (this.exact >= MAX_EXACT_EVALUATIONS) throw new BudgetSpent();
    this.exact += 1;
    return npv(this.flows, rate).comparedTo(0) as Sign;
  }
}

function bisect(signs: NpvSigns, low: Decimal, high: Decimal, signAtLow: Sign): Decimal {
  let [lo, hi] = [low, high];
  for (let step = 0; step < MAX_BISECTIONS && hi.minus(lo).gt(TOLERANCE); step += 1) {
    const mid = lo.plus(hi).div(2);
    const atMid = signs.signAt(mid);
    if (atMid === 0) return mid;
    if (atMid === signAtLow) lo = mid;
    else hi = mid;
  }
  return lo.plus(hi).div(2);
}

/** What one search found and what it cost: `complete` is false when a cap ended it early. */
export interface IrrSearch {
  roots: Decimal[];
  /** NPV evaluations, all told (at most MAX_EVALUATIONS), and those done in Decimal (at most MAX_EXACT_EVALUATIONS). */
  evaluations: number;
  exactEvaluations: number;
  complete: boolean;
}

/**
 * Every per-period IRR in (-0.99, 10], ascending, up to MAX_ROOTS of them, with what the search cost.
 * With a single sign change there is exactly one root (Descartes), so the two ends of the range
 * bracket it and no scan is needed. However long the series, one search is bounded: at most
 * MAX_EVALUATIONS sign evaluations, MAX_EXACT_EVALUATIONS of them in Decimal.
 */
export function searchIrr(values: readonly Decimal.Value[]): IrrSearch {
  // Parsed once here: the scan evaluates NPV over a thousand times.
  const flows = values.map((value) => new Dec(value));
  const changes = signChanges(flows);
  const signs = new NpvSigns(flows);
  const roots: Decimal[] = [];
  const done = (complete: boolean): IrrSearch => ({
    roots,
    evaluations: signs.evaluations,
    exactEvaluations: signs.exact,
    complete,
  });
  if (changes === 0) return done(true);
  const points = changes === 1 ? [LOWEST, HIGHEST] : scanGrid();
  try {
    let previousRate = LOWEST;
    let previousSign = signs.signAt(LOWEST);
    for (const rate of points.slice(1)) {
      // Descartes caps the roots at the number of sign changes: once all are found, the rest of the scan is waste.
      if (roots.length === changes) break;
      if (roots.length === MAX_ROOTS) return done(false);
      const sign = signs.signAt(rate);
      if (sign === 0) roots.push(rate);
      else if (previousSign !== 0 && previousSign !== sign) roots.push(bisect(signs, previousRate, rate, previousSign));
      [previousRate, previousSign] = [rate, sign];
    }
  } catch (error) {
    if (error instanceof BudgetSpent) return done(false);
    throw error;
  }
  return done(true);
}

/** Every per-period IRR in (-0.99, 10], ascending (at most MAX_ROOTS: see searchIrr). */
export function irrRoots(values: readonly Decimal.Value[]): Decimal[] {
  return searchIrr(values).roots;
}

export interface IrrResult {
  /** Annual rates, whatever the period of the flows. */
  rates: Decimal[];
  warnings: string[];
}

export function irr(flows: readonly Decimal.Value[], period: Period): IrrResult {
  const changes = signChanges(flows);
  if (changes === 0) return { rates: [], warnings: ["IRR is undefined: cash flows never change sign."] };
  const search = searchIrr(flows);
  const rates = search.roots.map((root) => annualRate(root, period));
  const warnings: string[] = [];
  if (!search.complete) {
    warnings.push(
      `The IRR search stopped at its limit (${rates.length} found, there may be more): judge these cash flows by NPV.`,
    );
  } else if (rates.length === 0) warnings.push(`No IRR lies between -99% and 1000% per ${period}.`);
  if (changes > 1) {
    warnings.push(
      `Cash flows change sign ${changes} times, so several IRRs can exist (${rates.length} found): judge this by NPV instead.`,
    );
  }
  return { rates, warnings };
}
