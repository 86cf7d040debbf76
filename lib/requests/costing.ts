import { z } from "zod";
import { sum } from "../cba/decimal";
import { checkCurrencies } from "../cba/currency-check";
import { isCurrency, toMinorUnits } from "../cba/money";
import { lineTotalCost } from "../cba/provisioning";
import { provisioningLinesSchema } from "../cba/provisioning-schema";
import { costBenefitSchema } from "../cba/schemas";
import type { CostBenefitAnalysis, ProvisioningLine } from "../cba/types";
import { totalCostMinor } from "../cba/analyse";

// The money side of a change request: its cost-benefit analysis and its resource lines, as fields of
// the request's input (forms post them as JSON text), and the total cost routing and budgets use.

const parseJsonText = (value: unknown) => {
  if (typeof value !== "string") return value;
  if (!value.trim()) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return value; // left as text: the schema then says what it expected
  }
};

export const CostFields = {
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isCurrency, { error: (i) => `Unknown currency code ${String(i.input)} (use ISO 4217, e.g. USD).` })
    .optional()
    .or(z.literal("").transform(() => undefined)),
  costBenefit: z.preprocess(parseJsonText, costBenefitSchema.nullable().optional()),
  provisioning: z.preprocess(parseJsonText, provisioningLinesSchema.optional()),
};

type CostInput = { currency?: string; costBenefit?: CostBenefitAnalysis | null; provisioning?: ProvisioningLine[] };
type Issue = { path: (string | number)[]; message: string };

/** One currency per request: the analysis's, or the request's own when it has resource lines only. */
export function costCurrencyIssues(input: CostInput): Issue[] {
  const issues: Issue[] = [];
  const analysisCurrency = input.costBenefit?.currency;
  if (input.currency && analysisCurrency && input.currency !== analysisCurrency) {
    issues.push({
      path: ["currency"],
      message: `The request is in ${input.currency} but its analysis is in ${analysisCurrency}: use one currency.`,
    });
  }
  const currency = analysisCurrency ?? input.currency;
  const lines = input.provisioning ?? [];
  if (lines.length && !currency)
    issues.push({ path: ["currency"], message: "Resource lines need a currency: choose one for the request." });
  if (currency) issues.push(...checkCurrencies(currency, lines));
  return issues;
}

/** The stored cost columns for a request: the analysis and lines as entered, the currency, the total. */
export function costColumns(input: CostInput) {
  const costBenefit = input.costBenefit ?? null;
  const provisioning = input.provisioning ?? [];
  const currency = costBenefit?.currency ?? input.currency ?? null;
  if (!currency || (!costBenefit && !provisioning.length))
    return { costBenefit, provisioning, currency, totalCostMinor: null };
  const total = costBenefit
    ? totalCostMinor(costBenefit, provisioning)
    : toMinorUnits(sum(provisioning.map(lineTotalCost)).toString(), currency);
  return { costBenefit, provisioning, currency, totalCostMinor: total };
}
