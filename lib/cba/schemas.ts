import { z } from "zod";
import { currencyMismatches } from "./currency-check";
import {
  choiceField,
  currencyField,
  decimalField,
  integerField,
  optionalDateField,
  optionalIntegerField,
  textField,
  itemCurrencyField,
} from "./fields";
import { provisioningLinesSchema } from "./provisioning-schema";
import {
  CONFIDENCE_LEVELS,
  COST_CATEGORIES,
  DEFAULT_SCENARIOS,
  PERIODS,
  RECURRENCES,
  SCENARIO_NAMES,
  type Benefit,
  type CostBenefitAnalysis,
  type CostItem,
  type ProvisioningLine,
} from "./types";

export const MAX_HORIZON = 600;

const costItemObject = z.object({
  description: textField("Description", 1, 200),
  category: choiceField("Category", COST_CATEGORIES),
  recurrence: choiceField("Recurrence", RECURRENCES),
  quantity: decimalField({ label: "Quantity" }),
  unit: textField("Unit", 1, 30),
  // Cloud price sheets quote per-second and per-request prices like 0.0000166667.
  unitPrice: decimalField({ label: "Unit price", maxDecimals: 10 }),
  priceSource: textField("Price source", 0, 200).default(""),
  priceDate: optionalDateField("Price date"),
  startPeriod: optionalIntegerField({ label: "Start period", min: 0, max: MAX_HORIZON }),
  periods: optionalIntegerField({ label: "Periods", min: 1, max: MAX_HORIZON }),
  currency: itemCurrencyField,
});

const costItemSchema = costItemObject.superRefine((item, ctx) => {
  if (item.recurrence === "one_off" && item.periods !== undefined && item.periods !== 1) {
    ctx.addIssue({
      code: "custom",
      path: ["periods"],
      message: "A one-off cost happens once: leave periods empty or make it recurring.",
    });
  }
});

const benefitObject = z.object({
  description: textField("Description", 1, 200),
  amountPerPeriod: decimalField({ label: "Amount per period", maxDecimals: 10 }),
  periods: optionalIntegerField({ label: "Periods", min: 1, max: MAX_HORIZON }),
  startPeriod: integerField({ label: "Start period", min: 0, max: MAX_HORIZON, fallback: 1 }),
  confidence: choiceField("Confidence", CONFIDENCE_LEVELS),
  monetised: z.boolean({ error: "Say whether this benefit is monetised (true or false)." }),
  currency: itemCurrencyField,
});

const discountRateField = decimalField({ label: "Discount rate", maxExclusive: "10", maxDecimals: 10 });

const assumptionsSchema = z.object(
  {
    discountRate: discountRateField,
    period: choiceField("Period", PERIODS),
    horizon: integerField({ label: "Horizon", min: 1, max: MAX_HORIZON }),
    optimismBias: decimalField({ label: "Optimism bias", maxDecimals: 10, fallback: "0" }),
  },
  { error: "Assumptions (discount rate, period and horizon) are required." },
);

const scenarioSchema = z.object({
  name: choiceField("Scenario name", SCENARIO_NAMES),
  costMultiplier: decimalField({ label: "Cost multiplier", min: "positive", maxDecimals: 10 }),
  benefitMultiplier: decimalField({ label: "Benefit multiplier", maxDecimals: 10 }),
});

const analysisShape = {
  currency: currencyField,
  assumptions: assumptionsSchema,
  costs: z
    .array(costItemSchema, { error: "Costs must be a list." })
    .max(200, "An analysis can hold at most 200 costs.")
    .default([]),
  benefits: z
    .array(benefitObject, { error: "Benefits must be a list." })
    .max(100, "An analysis can hold at most 100 benefits.")
    .default([]),
  scenarios: z
    .array(scenarioSchema, { error: "Scenarios must be a list." })
    .min(1, "Give at least one scenario, or leave scenarios out to use the defaults.")
    .max(SCENARIO_NAMES.length, "There are only three scenarios: pessimistic, expected and optimistic.")
    .optional(),
};

const analysisObject = z.object(analysisShape);
type AnalysisFields = z.output<typeof analysisObject>;

function scenarioName(scenario: unknown): unknown {
  return typeof scenario === "object" && scenario !== null && "name" in scenario ? scenario.name : undefined;
}

/** Cross-field checks; written against unknowns because they also run when other fields failed. */
function refineAnalysis(value: AnalysisFields, ctx: z.RefinementCtx): void {
  const issues = [
    ...currencyMismatches(value.currency, value.costs, ["costs"], "This cost"),
    ...currencyMismatches(value.currency, value.benefits, ["benefits"], "This benefit"),
  ];
  for (const issue of issues) ctx.addIssue({ code: "custom", ...issue });
  const seen = new Set<unknown>();
  (Array.isArray(value.scenarios) ? value.scenarios : []).forEach((scenario: unknown, index) => {
    const name = scenarioName(scenario);
    if (typeof name === "string" && seen.has(name)) {
      ctx.addIssue({
        code: "custom",
        path: ["scenarios", index, "name"],
        message: `The ${name} scenario is listed twice.`,
      });
    }
    seen.add(name);
  });
}

/** Items run to the end of the horizon unless told otherwise; never fewer than one period. */
function periodsToHorizonEnd(horizon: number, startPeriod: number): number {
  return Math.max(1, horizon - startPeriod + 1);
}

function resolveAnalysis(value: AnalysisFields): CostBenefitAnalysis {
  const { horizon } = value.assumptions;
  const costs = value.costs.map((item): CostItem => {
    const startPeriod = item.startPeriod ?? (item.recurrence === "recurring" ? 1 : 0);
    const periods = item.recurrence === "one_off" ? 1 : (item.periods ?? periodsToHorizonEnd(horizon, startPeriod));
    return { ...item, startPeriod, periods };
  });
  const benefits = value.benefits.map((benefit): Benefit => ({
    ...benefit,
    periods: benefit.periods ?? periodsToHorizonEnd(horizon, benefit.startPeriod),
  }));
  const scenarios = value.scenarios ?? DEFAULT_SCENARIOS.map((scenario) => ({ ...scenario }));
  return { currency: value.currency, assumptions: value.assumptions, costs, benefits, scenarios };
}

const always = { when: () => true };

export const costBenefitSchema = analysisObject.superRefine(refineAnalysis, always).transform(resolveAnalysis);

export const cashFlowsRequestSchema = z
  .object({
    currency: currencyField,
    discountRate: discountRateField,
    period: choiceField("Period", PERIODS),
    cashFlows: z
      .array(decimalField({ label: "Cash flow", min: "any", maxDecimals: 10 }), {
        error: "Cash flows must be a list of amounts.",
      })
      .min(1, "Enter at least one cash flow.")
      .max(2 * MAX_HORIZON + 1, `Enter at most ${2 * MAX_HORIZON + 1} cash flows.`),
  })
  .transform((value) => ({ kind: "cash_flows" as const, ...value }));

export const analysisRequestSchema = analysisObject
  .extend({ provisioning: provisioningLinesSchema.default([]) })
  .superRefine((value, ctx) => {
    refineAnalysis(value, ctx);
    const lines = currencyMismatches(value.currency, value.provisioning, ["provisioning"], "This provisioning line");
    for (const issue of lines) ctx.addIssue({ code: "custom", ...issue });
  }, always)
  .transform((value) => ({
    kind: "analysis" as const,
    analysis: resolveAnalysis(value),
    provisioning: value.provisioning,
  }));

/**
 * The calculator takes either raw cash flows or analysis-style items. Choosing the branch by the
 * presence of cashFlows (rather than z.union) keeps each error at its own field path.
 */
export const evaluateRequestSchema = z.unknown().transform((input, ctx) => {
  const wantsFlows = typeof input === "object" && input !== null && "cashFlows" in input;
  const result = wantsFlows ? cashFlowsRequestSchema.safeParse(input) : analysisRequestSchema.safeParse(input);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  return z.NEVER;
});

export type CostBenefitAnalysisInput = z.input<typeof costBenefitSchema>;
export type ProvisioningLinesInput = z.input<typeof provisioningLinesSchema>;
export type CashFlowsRequest = z.output<typeof cashFlowsRequestSchema>;
export type AnalysisRequest = z.output<typeof analysisRequestSchema>;
export type EvaluateRequest = z.output<typeof evaluateRequestSchema>;

// Compile-time guard that the schemas produce exactly the documented shapes in types.ts.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _analysisShapeMatches: Same<z.output<typeof costBenefitSchema>, CostBenefitAnalysis> = true;
const _linesShapeMatch: Same<z.output<typeof provisioningLinesSchema>, ProvisioningLine[]> = true;
