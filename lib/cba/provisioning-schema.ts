import { z } from "zod";
import { checkCurrencies } from "./currency-check";
import {
  choiceField,
  dateField,
  decimalField,
  integerField,
  itemCurrencyField,
  optionalIntegerField,
  textField,
} from "./fields";
import { PRICE_UNITS, PRICING_MODELS, type ProvisioningLine } from "./types";

const gpuTypeField = z
  .unknown()
  .optional()
  .transform((input, ctx): string | null => {
    if (input === undefined || input === null) return null;
    if (typeof input !== "string" || input.trim().length > 100) {
      ctx.addIssue({ code: "custom", message: "GPU type must be a name of at most 100 characters, e.g. H100." });
      return z.NEVER;
    }
    return input.trim() === "" ? null : input.trim();
  });

/** The most hours a month can have (31 x 24): anything above is a typo, not a reservation. */
const MAX_HOURS_PER_MONTH = "744";

const lineObject = z.object({
  provider: textField("Provider", 0, 50).default(""),
  region: textField("Region", 0, 50).default(""),
  instanceType: textField("Instance type", 1, 100),
  gpuType: gpuTypeField,
  // Kubernetes schedules whole GPUs, so a fraction is a mistake rather than a sharing plan.
  gpuCount: optionalIntegerField({
    label: "GPU count",
    min: 0,
    wholeMessage: "GPUs are whole devices: enter a whole number.",
  }),
  nodes: integerField({ label: "Nodes", min: 1, max: 100_000, fallback: 1 }),
  hoursPerMonth: decimalField({
    label: "Hours per month",
    min: "positive",
    maxInclusive: MAX_HOURS_PER_MONTH,
    fallback: "730",
  }),
  months: integerField({ label: "Months", min: 1, max: 120 }),
  pricingModel: choiceField("Pricing model", PRICING_MODELS),
  pricePerHour: decimalField({ label: "Price per hour", maxDecimals: 10 }),
  priceUnit: choiceField("Price unit", PRICE_UNITS).optional(),
  priceSource: textField("Price source", 1, 200),
  priceDate: dateField("Price date"),
  storageGb: decimalField({ label: "Storage", fallback: "0" }),
  storagePricePerGbMonth: decimalField({ label: "Storage price per GB-month", maxDecimals: 10, fallback: "0" }),
  currency: itemCurrencyField,
});

type LineFields = z.output<typeof lineObject>;

function refineLine(line: LineFields, ctx: z.RefinementCtx<LineFields>): void {
  if (line.gpuType !== null && line.gpuCount === undefined) {
    ctx.addIssue({ code: "custom", path: ["gpuCount"], message: "GPU count is required when a GPU type is set." });
  }
  if (line.gpuType !== null && line.gpuCount === 0) {
    ctx.addIssue({ code: "custom", path: ["gpuCount"], message: "A line with a GPU type needs at least 1 GPU." });
  }
  if (line.gpuType === null && line.priceUnit === "gpu_hour") {
    ctx.addIssue({
      code: "custom",
      path: ["priceUnit"],
      message: "A price per GPU-hour needs a GPU type; otherwise price the line per node-hour.",
    });
  }
}

function resolveLine(line: LineFields): ProvisioningLine {
  const { gpuCount, priceUnit, currency, ...rest } = line;
  return {
    ...rest,
    gpuCount: gpuCount ?? 0,
    priceUnit: priceUnit ?? (line.gpuType === null ? "node_hour" : "gpu_hour"),
    ...(currency === undefined ? {} : { currency }),
  };
}

export const provisioningLineSchema = lineObject.superRefine(refineLine).transform(resolveLine);

export const provisioningLinesSchema = z
  .array(provisioningLineSchema, { error: "Provisioning lines must be a list." })
  .max(100, "A request can hold at most 100 provisioning lines.");

/** For endpoints that receive lines on their own but know the analysis currency. */
export function provisioningLinesSchemaFor(currency: string) {
  return provisioningLinesSchema.superRefine((lines, ctx) => {
    for (const issue of checkCurrencies(currency, lines, [])) ctx.addIssue({ code: "custom", ...issue });
  });
}
