import type Decimal from "decimal.js";
import { Dec, ONE, ZERO } from "./decimal";
import { monthsBeyondHorizon, provisioningCostFlows } from "./provisioning";
import type { CostBenefitAnalysis, Period, ProvisioningLine, Scenario } from "./types";

export interface CashFlows {
  /** Positive amounts spent in each period 0..horizon. */
  costs: Decimal[];
  benefits: Decimal[];
  /** benefits - costs. */
  net: Decimal[];
  warnings: string[];
}

function zeros(horizon: number): Decimal[] {
  return Array.from({ length: horizon + 1 }, () => ZERO);
}

/** Adds `amount` to each period of [start, start + periods), ignoring periods past the horizon. */
function spread(series: Decimal[], amount: Decimal, start: number, periods: number): void {
  const end = Math.min(start + periods - 1, series.length - 1);
  for (let t = start; t <= end; t += 1) series[t] = (series[t] ?? ZERO).plus(amount);
}

function beyondHorizon(kind: string, description: string, start: number, period: Period, horizon: number): string {
  return `${kind} "${description}" starts in ${period} ${start}, after the ${horizon}-${period} horizon, so it is left out.`;
}

/** Every currency code that is not the analysis's own: adding those would mix currencies. */
export function assertSingleCurrency(analysis: CostBenefitAnalysis, lines: readonly ProvisioningLine[]): void {
  const foreign = [...analysis.costs, ...analysis.benefits, ...lines]
    .map((item) => item.currency)
    .filter((code) => code !== undefined && code !== analysis.currency);
  if (foreign.length > 0) {
    throw new RangeError(`Cannot add ${foreign[0]} amounts to an analysis in ${analysis.currency}.`);
  }
}

/**
 * Cash flows for one scenario, periods 0..horizon. Optimism bias and the scenario multiplier apply to
 * every cost, provisioning included: the Green Book uplift is about estimates being low, whoever made them.
 */
export function buildCashFlows(
  analysis: CostBenefitAnalysis,
  lines: readonly ProvisioningLine[],
  scenario: Scenario,
): CashFlows {
  assertSingleCurrency(analysis, lines);
  const { horizon, period, optimismBias } = analysis.assumptions;
  const warnings: string[] = [];
  const rawCosts = provisioningCostFlows(lines, period, horizon);
  for (const line of lines) {
    const lost = monthsBeyondHorizon(line, period, horizon);
    if (lost > 0)
      warnings.push(
        `Provisioning "${line.instanceType}" runs ${line.months} months; the last ${lost} fall after the horizon and are left out.`,
      );
  }
  for (const item of analysis.costs) {
    if (item.startPeriod > horizon) {
      warnings.push(beyondHorizon("Cost", item.description, item.startPeriod, period, horizon));
      continue;
    }
    spread(rawCosts, new Dec(item.quantity).times(item.unitPrice), item.startPeriod, item.periods);
  }
  const benefits = zeros(horizon);
  for (const benefit of analysis.benefits) {
    if (!benefit.monetised) continue;
    if (benefit.startPeriod > horizon) {
      warnings.push(beyondHorizon("Benefit", benefit.description, benefit.startPeriod, period, horizon));
      continue;
    }
    spread(
      benefits,
      new Dec(benefit.amountPerPeriod).times(scenario.benefitMultiplier),
      benefit.startPeriod,
      benefit.periods,
    );
  }
  const uplift = ONE.plus(optimismBias).times(scenario.costMultiplier);
  const costs = rawCosts.map((cost) => cost.times(uplift));
  const net = benefits.map((benefit, t) => benefit.minus(costs[t] ?? ZERO));
  return { costs, benefits, net, warnings };
}

/** The scenario totals are reported for: "expected" if the analysis has one, else costs and benefits as entered. */
export function expectedScenario(analysis: CostBenefitAnalysis): Scenario {
  return (
    analysis.scenarios.find((scenario) => scenario.name === "expected") ?? {
      name: "expected",
      costMultiplier: "1",
      benefitMultiplier: "1",
    }
  );
}
