/** Cost-benefit analysis for approval requests: pure functions, decimals in, rounded strings out. */
export { allocate, currencyDigits, formatMoney, fromMinorUnits, isCurrency, toMinorUnits } from "./money";
export * from "./types";
export {
  analysisRequestSchema,
  cashFlowsRequestSchema,
  costBenefitSchema,
  evaluateRequestSchema,
  MAX_HORIZON,
  type AnalysisRequest,
  type CashFlowsRequest,
  type CostBenefitAnalysisInput,
  type EvaluateRequest,
  type ProvisioningLinesInput,
} from "./schemas";
export { provisioningLineSchema, provisioningLinesSchema, provisioningLinesSchemaFor } from "./provisioning-schema";
export { checkCurrencies, type CurrencyIssue } from "./currency-check";
export { billedUnits, lineMonthlyCost, lineTotalCost, provisioningCostFlows } from "./provisioning";
export { buildCashFlows, expectedScenario, type CashFlows } from "./cash-flows";
export { annualRate, discountFactors, npv, periodRate } from "./discount";
export { irr, irrRoots, signChanges, type IrrResult } from "./irr";
export { evaluateFlows, paybackPeriods, type FlowMetrics, type FlowSeries } from "./evaluate";
export {
  analyse,
  evaluateCashFlows,
  totalCostMinor,
  type AnalysisReport,
  type CalculatorResult,
  type MetricsReport,
  type ScenarioReport,
} from "./analyse";
