import fc from "fast-check";
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { Dec } from "../../lib/cba/decimal";
import { npv } from "../../lib/cba/discount";
import {
  irr,
  MAX_BISECTIONS,
  MAX_EVALUATIONS,
  MAX_EXACT_EVALUATIONS,
  MAX_ROOTS,
  searchIrr,
  signChanges,
} from "../../lib/cba/irr";
import { MAX_HORIZON } from "../../lib/cba/schemas";

// One IRR search is bounded however long the series: the grid, at most MAX_ROOTS bisections of at
// most MAX_BISECTIONS steps, and at most MAX_EXACT_EVALUATIONS NPVs in Decimal. The float64 screen
// must not change an answer: the search finds the roots an all-Decimal scan finds.

/** The search as it was before the float screen: every NPV in Decimal (the reference). */
function decimalOnlyRoots(values: readonly string[]): string[] {
  const flows = values.map((v) => new Dec(v));
  const changes = signChanges(flows);
  if (changes === 0) return [];
  const points = [new Dec("-0.99")];
  if (changes === 1) points.push(new Dec(10));
  else {
    let rate = points[0]!;
    for (const [to, step] of [
      ["-0.5", "0.01"],
      ["-0.1", "0.002"],
      ["0.1", "0.0005"],
      ["1", "0.002"],
      ["10", "0.05"],
    ] as const)
      while (rate.lt(to)) points.push((rate = rate.plus(step)));
  }
  const roots: Decimal[] = [];
  let [previousRate, previousValue] = [points[0]!, npv(flows, points[0]!)];
  for (const rate of points.slice(1)) {
    if (roots.length === changes || roots.length === MAX_ROOTS) break;
    const value = npv(flows, rate);
    if (value.isZero()) roots.push(rate);
    else if (!previousValue.isZero() && previousValue.isNeg() !== value.isNeg()) {
      let [lo, hi, atLo] = [previousRate, rate, previousValue];
      for (let step = 0; step < MAX_BISECTIONS && hi.minus(lo).gt("1e-12"); step += 1) {
        const mid = lo.plus(hi).div(2);
        const atMid = npv(flows, mid);
        if (atMid.isZero()) {
          [lo, hi] = [mid, mid];
          break;
        }
        if (atMid.isNeg() === atLo.isNeg()) [lo, atLo] = [mid, atMid];
        else hi = mid;
      }
      roots.push(lo.eq(hi) ? lo : lo.plus(hi).div(2));
    }
    [previousRate, previousValue] = [rate, value];
  }
  return roots.map(String);
}

/** Flows whose NPV, as a polynomial in 1/(1+r), is prod (1 - (1+r_k)/(1+r)) over the given rates: roots at r_k. */
function flowsWithRoots(rates: readonly string[], multiplicity = 1): string[] {
  let coefficients = [new Dec(1)];
  for (const rate of rates)
    for (let m = 0; m < multiplicity; m += 1) {
      const root = new Dec(1).plus(rate); // (1 - root * x) with x = 1/(1+r)
      const next = [...coefficients.map((c) => c), new Dec(0)];
      for (let i = 0; i < coefficients.length; i += 1) next[i + 1] = next[i + 1]!.minus(coefficients[i]!.times(root));
      coefficients = next;
    }
  return coefficients.map(String);
}

const worstFlows = Array.from(
  { length: 2 * MAX_HORIZON + 1 },
  (_, t) => (t % 2 ? "" : "-") + "999999999999999.9999999999",
);

describe("IRR search bounds", () => {
  it("the longest series the schemas allow, with a sign change at every period, stays within the caps", () => {
    const search = searchIrr(worstFlows);
    expect(signChanges(worstFlows)).toBe(2 * MAX_HORIZON);
    expect(search.evaluations).toBeLessThanOrEqual(MAX_EVALUATIONS);
    expect(search.exactEvaluations).toBeLessThanOrEqual(MAX_EXACT_EVALUATIONS);
    // What the all-Decimal search found too (measured by bench/irr-worst-case.ts, in 6 s rather than 17 ms).
    expect(search.roots).toEqual([]);
    expect(search.complete).toBe(true);
  });

  it("stops at MAX_ROOTS roots and says the list may be incomplete", () => {
    // Twelve roots spread over the whole range (1 + r from 0.025 to 8.025), so each is well placed.
    const growth = [
      "0.025",
      "0.045",
      "0.085",
      "0.155",
      "0.305",
      "0.505",
      "0.805",
      "1.305",
      "2.025",
      "3.225",
      "5.025",
      "8.025",
    ];
    const flows = flowsWithRoots(growth.map((g) => new Dec(g).minus(1).toString()));
    expect(signChanges(flows)).toBe(12);
    const search = searchIrr(flows);
    expect(search.roots.map((r) => r.toDecimalPlaces(6).toString())).toEqual(
      growth.slice(0, MAX_ROOTS).map((g) => new Dec(g).minus(1).toString()),
    );
    expect(search.complete).toBe(false);
    expect(irr(flows, "year").warnings[0]).toMatch(
      /^The IRR search stopped at its limit \(10 found, there may be more\)/,
    );
  });

  it("a root too flat for float64 to place spends at most MAX_EXACT_EVALUATIONS Decimal NPVs, then stops", () => {
    const flows = flowsWithRoots(["0.05"], 11); // (1 - 1.05x)^11: NPV ~ 0 over a wide band around 5%
    const search = searchIrr(flows);
    expect(search.exactEvaluations).toBeLessThanOrEqual(MAX_EXACT_EVALUATIONS);
    expect(search.evaluations).toBeLessThanOrEqual(MAX_EVALUATIONS);
    if (!search.complete) expect(irr(flows, "year").warnings[0]).toMatch(/stopped at its limit/);
  });

  it("finds exactly the roots an all-Decimal search finds", () => {
    const amount = fc.oneof(
      fc.integer({ min: -10_000, max: 10_000 }).map(String),
      fc.double({ min: -1e15, max: 1e15, noNaN: true }).map((x) => x.toFixed(4)),
    );
    fc.assert(
      fc.property(fc.array(amount, { minLength: 2, maxLength: 30 }), (flows) => {
        expect(searchIrr(flows).roots.map(String)).toEqual(decimalOnlyRoots(flows));
      }),
      { numRuns: 40 },
    );
    for (const rates of [["0.1", "0.2"], ["-0.3", "0.02", "0.021", "4"], ["0.0001"]]) {
      const flows = flowsWithRoots(rates);
      expect(searchIrr(flows).roots.map(String)).toEqual(decimalOnlyRoots(flows));
    }
  });
});
