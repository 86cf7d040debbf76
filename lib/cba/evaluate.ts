import type Decimal from "decimal.js";
import { Dec, ZERO, sum } from "./decimal";
import { discountFactors, periodRate } from "./discount";
import { irr } from "./irr";
import type { Period } from "./types";

/** Costs are positive amounts in `costs`; net = benefits - costs. */
export interface FlowSeries {
  net: readonly Decimal.Value[];
  costs?: readonly Decimal.Value[];
  benefits?: readonly Decimal.Value[];
}

export interface FlowMetrics {
  ratePerPeriod: Decimal;
  npv: Decimal;
  /** Annual IRRs; empty when undefined. */
  irr: Decimal[];
  paybackPeriods: Decimal | null;
  discountedPaybackPeriods: Decimal | null;
  pvCosts: Decimal;
  pvBenefits: Decimal;
  roi: Decimal | null;
  bcr: Decimal | null;
  /** Fraction by which benefits may fall before NPV reaches zero; negative means they must rise. */
  switchingValue: Decimal | null;
  cumulativeDiscounted: Decimal[];
  warnings: string[];
}

/**
 * Periods until the running total, having gone negative, first turns non-negative again, interpolated
 * inside that period as if its flow arrived evenly. A total that is never negative has nothing to pay
 * back (0); one that never recovers within the flows given has no payback (null). A zero start is not
 * a payback: spending that begins in period 1 must still be earned back.
 */
export function paybackPeriods(flows: readonly Decimal.Value[]): Decimal | null {
  let running = ZERO;
  let owing = false;
  for (const [t, value] of flows.entries()) {
    const flow = new Dec(value);
    const before = running;
    running = running.plus(flow);
    if (running.isNeg() && !running.isZero()) owing = true;
    else if (owing) return new Dec(t - 1).plus(before.neg().div(flow));
  }
  return owing ? null : ZERO;
}

function discounted(flows: readonly Decimal.Value[], factors: readonly Decimal[]): Decimal[] {
  return flows.map((flow, t) => new Dec(flow).times(factors[t] ?? ZERO));
}

function runningTotals(flows: readonly Decimal[]): Decimal[] {
  let running = ZERO;
  return flows.map((flow) => (running = running.plus(flow)));
}

/** Without separate series, outflows are the costs and inflows the benefits. */
function splitNet(net: readonly Decimal.Value[]): { costs: Decimal[]; benefits: Decimal[] } {
  const flows = net.map((flow) => new Dec(flow));
  return {
    costs: flows.map((flow) => (flow.isNeg() ? flow.neg() : ZERO)),
    benefits: flows.map((flow) => (flow.isNeg() ? ZERO : flow)),
  };
}

export function evaluateFlows(series: FlowSeries, annualRate: Decimal.Value, period: Period): FlowMetrics {
  const ratePerPeriod = periodRate(annualRate, period);
  const factors = discountFactors(ratePerPeriod, series.net.length);
  const split =
    series.costs && series.benefits ? { costs: series.costs, benefits: series.benefits } : splitNet(series.net);
  const discountedNet = discounted(series.net, factors);
  const cumulativeDiscounted = runningTotals(discountedNet);
  const npv = cumulativeDiscounted.at(-1) ?? ZERO;
  const pvCosts = sum(discounted(split.costs, factors));
  const pvBenefits = sum(discounted(split.benefits, factors));
  const rates = irr(series.net, period);
  return {
    ratePerPeriod,
    npv,
    irr: rates.rates,
    paybackPeriods: paybackPeriods(series.net),
    discountedPaybackPeriods: paybackPeriods(discountedNet),
    pvCosts,
    pvBenefits,
    // A zero-cost project has no meaningful return ratio: report "none" rather than infinity.
    roi: pvCosts.isZero() ? null : pvBenefits.minus(pvCosts).div(pvCosts),
    bcr: pvCosts.isZero() ? null : pvBenefits.div(pvCosts),
    switchingValue: pvBenefits.isZero() ? null : npv.div(pvBenefits),
    cumulativeDiscounted,
    warnings: rates.warnings,
  };
}
