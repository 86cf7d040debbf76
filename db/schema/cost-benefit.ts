/** The shape of a cost-benefit analysis after validation: every default is filled in. */

export const PERIODS = ["month", "year"] as const;
export type Period = (typeof PERIODS)[number];

export const COST_CATEGORIES = ["compute", "gpu", "storage", "egress", "people", "licence", "other"] as const;
export type CostCategory = (typeof COST_CATEGORIES)[number];

export const RECURRENCES = ["one_off", "recurring"] as const;
export type Recurrence = (typeof RECURRENCES)[number];

export const CONFIDENCE_LEVELS = ["low", "medium", "high"] as const;
export type Confidence = (typeof CONFIDENCE_LEVELS)[number];

export const SCENARIO_NAMES = ["pessimistic", "expected", "optimistic"] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export const PRICING_MODELS = ["on_demand", "spot", "reserved"] as const;
export type PricingModel = (typeof PRICING_MODELS)[number];

export const PRICE_UNITS = ["gpu_hour", "node_hour"] as const;
export type PriceUnit = (typeof PRICE_UNITS)[number];

/** Decimal values travel as strings so no float ever touches a price or a rate. */
export type DecimalString = string;

export interface CostItem {
  description: string;
  category: CostCategory;
  recurrence: Recurrence;
  quantity: DecimalString;
  unit: string;
  unitPrice: DecimalString;
  priceSource: string;
  priceDate: string | null;
  startPeriod: number;
  /** Always 1 for a one-off cost. */
  periods: number;
  currency?: string | undefined;
}

export interface Benefit {
  description: string;
  amountPerPeriod: DecimalString;
  periods: number;
  startPeriod: number;
  confidence: Confidence;
  /** Non-monetised benefits are reported but never enter the cash flows. */
  monetised: boolean;
  currency?: string | undefined;
}

export interface Assumptions {
  /** Annual rate as a fraction: "0.08" is 8%. */
  discountRate: DecimalString;
  period: Period;
  horizon: number;
  /** Green Book optimism-bias uplift on costs, as a fraction. */
  optimismBias: DecimalString;
}

export interface Scenario {
  name: ScenarioName;
  costMultiplier: DecimalString;
  benefitMultiplier: DecimalString;
}

export interface ProvisioningLine {
  provider: string;
  region: string;
  instanceType: string;
  gpuType: string | null;
  gpuCount: number;
  nodes: number;
  hoursPerMonth: DecimalString;
  months: number;
  pricingModel: PricingModel;
  pricePerHour: DecimalString;
  priceUnit: PriceUnit;
  priceSource: string;
  priceDate: string;
  storageGb: DecimalString;
  storagePricePerGbMonth: DecimalString;
  currency?: string | undefined;
}

export interface CostBenefitAnalysis {
  currency: string;
  assumptions: Assumptions;
  costs: CostItem[];
  benefits: Benefit[];
  scenarios: Scenario[];
}

export const DEFAULT_SCENARIOS: readonly Scenario[] = [
  { name: "pessimistic", costMultiplier: "1.2", benefitMultiplier: "0.8" },
  { name: "expected", costMultiplier: "1", benefitMultiplier: "1" },
  { name: "optimistic", costMultiplier: "0.9", benefitMultiplier: "1.2" },
];
