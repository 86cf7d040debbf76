import type Decimal from "decimal.js";
import { buildCashFlows, expectedScenario, type CashFlows } from "./cash-flows";
import { PERIOD_PLACES, RATE_PLACES, fixed, fixedOrNull, sum } from "./decimal";
import { evaluateFlows, type FlowMetrics } from "./evaluate";
import { currencyDigits, toMinorUnits } from "./money";
import { lineTotalCost } from "./provisioning";
import type { EvaluateRequest } from "./schemas";
import type { CostBenefitAnalysis, ProvisioningLine, ScenarioName } from "./types";

/** Reports carry decimals as strings rounded once, here: money to the currency's digits, rates to 6, periods to 2. */
export interface MetricsReport {
  npv: string;
  irr: string[];
  paybackPeriods: string | null;
  discountedPaybackPeriods: string | null;
  roi: string | null;
  bcr: string | null;
  switchingValue: string | null;
}

export interface ScenarioReport extends MetricsReport {
  name: ScenarioName;
  costMultiplier: string;
  benefitMultiplier: string;
  pvCosts: string;
  pvBenefits: string;
  cumulativeDiscounted: string[];
}

export interface AnalysisReport {
  currency: string;
  digits: number;
  totals: {
    /** Undiscounted costs in the expected scenario (optimism bias included), provisioning included. */
    costMinor: number;
    benefitMinor: number;
    /** What the provisioning lines cost in full, at quoted prices, however long the horizon. */
    provisioningMinor: number;
  };
  scenarios: ScenarioReport[];
  warnings: string[];
}

export interface CalculatorResult extends MetricsReport {
  warnings: string[];
}

function metricsReport(metrics: FlowMetrics, digits: number): MetricsReport {
  return {
    npv: fixed(metrics.npv, digits),
    irr: metrics.irr.map((rate) => fixed(rate, RATE_PLACES)),
    paybackPeriods: fixedOrNull(metrics.paybackPeriods, PERIOD_PLACES),
    discountedPaybackPeriods: fixedOrNull(metrics.discountedPaybackPeriods, PERIOD_PLACES),
    roi: fixedOrNull(metrics.roi, RATE_PLACES),
    bcr: fixedOrNull(metrics.bcr, RATE_PLACES),
    switchingValue: fixedOrNull(metrics.switchingValue, RATE_PLACES),
  };
}

function evaluateScenario(analysis: CostBenefitAnalysis, flows: CashFlows): FlowMetrics {
  const { discountRate, period } = analysis.assumptions;
  return evaluateFlows(flows, discountRate, period);
}

function totalMinor(amounts: readonly Decimal[], currency: string): number {
  return toMinorUnits(sum(amounts), currency);
}

export function analyse(analysis: CostBenefitAnalysis, lines: readonly ProvisioningLine[] = []): AnalysisReport {
  const { currency } = analysis;
  const digits = currencyDigits(currency);
  const warnings = new Set<string>();
  const scenarios = analysis.scenarios.map((scenario): ScenarioReport => {
    const flows = buildCashFlows(analysis, lines, scenario);
    const metrics = evaluateScenario(analysis, flows);
    flows.warnings.forEach((warning) => warnings.add(warning));
    // IRR warnings differ by scenario, so each says which one it is about.
    metrics.warnings.forEach((warning) =>
      warnings.add(`${scenario.name[0]?.toUpperCase()}${scenario.name.slice(1)} scenario: ${warning}`),
    );
    return {
      name: scenario.name,
      costMultiplier: scenario.costMultiplier,
      benefitMultiplier: scenario.benefitMultiplier,
      ...metricsReport(metrics, digits),
      pvCosts: fixed(metrics.pvCosts, digits),
      pvBenefits: fixed(metrics.pvBenefits, digits),
      cumulativeDiscounted: metrics.cumulativeDiscounted.map((value) => fixed(value, digits)),
    };
  });
  const expected = buildCashFlows(analysis, lines, expectedScenario(analysis));
  expected.warnings.forEach((warning) => warnings.add(warning));
  return {
    currency,
    digits,
    totals: {
      costMinor: totalMinor(expected.costs, currency),
      benefitMinor: totalMinor(expected.benefits, currency),
      provisioningMinor: totalMinor(lines.map(lineTotalCost), currency),
    },
    scenarios,
    warnings: [...warnings],
  };
}

/** The figure approval routing compares with budgets and thresholds: expected-scenario costs in minor units. */
export function totalCostMinor(analysis: CostBenefitAnalysis, lines: readonly ProvisioningLine[] = []): number {
  return totalMinor(buildCashFlows(analysis, lines, expectedScenario(analysis)).costs, analysis.currency);
}

/** The stateless calculator: raw flows as given, or the expected scenario of analysis-style items. */
export function evaluateCashFlows(input: EvaluateRequest): CalculatorResult {
  if (input.kind === "cash_flows") {
    const metrics = evaluateFlows({ net: input.cashFlows }, input.discountRate, input.period);
    return { ...metricsReport(metrics, currencyDigits(input.currency)), warnings: metrics.warnings };
  }
  const { analysis, provisioning } = input;
  const flows = buildCashFlows(analysis, provisioning, expectedScenario(analysis));
  const metrics = evaluateScenario(analysis, flows);
  return {
    ...metricsReport(metrics, currencyDigits(analysis.currency)),
    warnings: [...flows.warnings, ...metrics.warnings],
  };
}
