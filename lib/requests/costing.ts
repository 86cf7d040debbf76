import { z } from "zod";
import { Dec, sum } from "../cba/decimal";
import { checkCurrencies } from "../cba/currency-check";
import { formatMoney, isCurrency, toMinorUnits } from "../cba/money";
import { lineTotalCost } from "../cba/provisioning";
import { provisioningLinesSchema } from "../cba/provisioning-schema";
import { costBenefitSchema } from "../cba/schemas";
import type { CostBenefitAnalysis, ProvisioningLine } from "../cba/types";
import { analyse, totalCostMinor } from "../cba/analyse";

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

/** The largest total Greenlight holds, in words: what fits in minor units as an exact integer. */
export function largestAmount(currency: string): string {
  try {
    return formatMoney(Number.MAX_SAFE_INTEGER, currency);
  } catch {
    return `${Number.MAX_SAFE_INTEGER} minor units`;
  }
}

/**
 * Totals too large to hold exactly (a 14-digit unit price over a few periods) are a field error,
 * not a crash when the total is computed: the item whose own total is too large is named, else the
 * list. Checks what costColumns and the cost page compute.
 */
export function costSizeIssues(input: CostInput): Issue[] {
  const currency = input.costBenefit?.currency ?? input.currency;
  // An unknown or mixed currency is already its own field error: totals across it mean nothing.
  if (!currency || !isCurrency(currency) || currencyIssuesBlock(input)) return [];
  try {
    costColumns(input);
    if (input.costBenefit) analyse(input.costBenefit, input.provisioning ?? []);
    return [];
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  const limit = largestAmount(currency);
  const tooBig = (amount: InstanceType<typeof Dec>) => {
    try {
      toMinorUnits(amount.toString(), currency);
      return false;
    } catch {
      return true;
    }
  };
  const costs = input.costBenefit?.costs ?? [];
  const item = costs.findIndex((c) => tooBig(new Dec(c.quantity).times(c.unitPrice).times(c.periods)));
  if (item >= 0)
    return [
      {
        path: ["costBenefit", "costs", item, "unitPrice"],
        message: `This cost comes to more than ${limit} over its periods: check the quantity and the unit price.`,
      },
    ];
  const line = (input.provisioning ?? []).findIndex((l) => tooBig(lineTotalCost(l)));
  if (line >= 0)
    return [
      {
        path: ["provisioning", line, "pricePerHour"],
        message: `This line comes to more than ${limit}: check the count, the months and the price per hour.`,
      },
    ];
  return [
    {
      path: [input.costBenefit ? "costBenefit" : "provisioning"],
      message: `The costs and benefits add up to more than ${limit}, the largest amount Greenlight holds exactly.`,
    },
  ];
}

const currencyIssuesBlock = (input: CostInput) => costCurrencyIssues(input).length > 0;

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
