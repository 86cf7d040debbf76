import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  checkCurrencies,
  costBenefitSchema,
  evaluateRequestSchema,
  provisioningLineSchema,
  provisioningLinesSchemaFor,
} from "../../lib/cba";

/** The same keying the app uses to show field errors. */
function fieldErrors(schema: z.ZodType, input: unknown): Record<string, string[]> {
  const result = schema.safeParse(input);
  if (result.success) return {};
  const errors: Record<string, string[]> = {};
  for (const issue of result.error.issues) (errors[issue.path.join(".")] ??= []).push(issue.message);
  return errors;
}

const assumptions = { discountRate: "0.035", period: "year", horizon: 5 };
const gpuCost = {
  description: "Fine-tuning",
  category: "gpu",
  recurrence: "recurring",
  quantity: "400",
  unit: "GPU-h",
  unitPrice: "2.5",
};
const oneOff = {
  description: "Data labelling",
  category: "people",
  recurrence: "one_off",
  quantity: "20",
  unit: "FTE-day",
  unitPrice: "650",
};
const benefit = {
  description: "Fewer support tickets",
  amountPerPeriod: "12000",
  confidence: "medium",
  monetised: true,
};
const analysis = { currency: "USD", assumptions, costs: [gpuCost, oneOff], benefits: [benefit] };
const gpuLine = {
  instanceType: "a3-highgpu-8g",
  gpuType: "H100",
  gpuCount: 8,
  months: 6,
  pricingModel: "spot",
  pricePerHour: "3.1",
  priceSource: "GCP",
  priceDate: "2025-03-01",
};

describe("costBenefitSchema defaults", () => {
  it("fills periods, start periods, optimism bias and the default scenarios", () => {
    const parsed = costBenefitSchema.parse({
      ...analysis,
      costs: [{ ...gpuCost, startPeriod: "2" }, oneOff],
      assumptions: { ...assumptions, discountRate: 0.035 },
    });
    expect(parsed.assumptions).toEqual({ discountRate: "0.035", period: "year", horizon: 5, optimismBias: "0" });
    expect(parsed.costs.map((c) => [c.startPeriod, c.periods])).toEqual([
      [2, 4],
      [0, 1],
    ]);
    expect(parsed.benefits[0]).toMatchObject({ startPeriod: 1, periods: 5 });
    expect(parsed.scenarios.map((s) => [s.name, s.costMultiplier, s.benefitMultiplier])).toEqual([
      ["pessimistic", "1.2", "0.8"],
      ["expected", "1", "1"],
      ["optimistic", "0.9", "1.2"],
    ]);
  });

  it("keeps unit prices to ten decimal places as exact strings", () => {
    const parsed = costBenefitSchema.parse({ ...analysis, costs: [{ ...gpuCost, unitPrice: "0.0000166667" }] });
    expect(parsed.costs[0]?.unitPrice).toBe("0.0000166667");
    expect(
      fieldErrors(costBenefitSchema, { ...analysis, costs: [{ ...gpuCost, unitPrice: "0.00000166667" }] }),
    ).toEqual({
      "costs.0.unitPrice": ["Unit price can have at most 10 decimal places."],
    });
  });
});

describe("costBenefitSchema refusals", () => {
  it("puts a negative quantity at its own path", () => {
    const costs = [gpuCost, oneOff, { ...gpuCost, quantity: "-3" }];
    expect(fieldErrors(costBenefitSchema, { ...analysis, costs })).toEqual({
      "costs.2.quantity": ["Quantity cannot be negative."],
    });
  });

  it("refuses an unknown currency", () => {
    expect(fieldErrors(costBenefitSchema, { ...analysis, currency: "XYZ" })).toEqual({
      currency: ["Unknown currency code XYZ (use ISO 4217, e.g. USD)."],
    });
  });

  it("refuses an item in another currency, naming both codes", () => {
    const errors = fieldErrors(costBenefitSchema, {
      ...analysis,
      costs: [gpuCost, { ...oneOff, currency: "EUR" }],
      benefits: [{ ...benefit, currency: "usd" }],
    });
    expect(errors).toEqual({
      "costs.1.currency": ["This cost is in EUR but the analysis is in USD: convert it to USD first."],
    });
  });

  it("refuses fractional periods and start periods but accepts whole numeric strings", () => {
    const errors = fieldErrors(costBenefitSchema, {
      ...analysis,
      costs: [{ ...gpuCost, periods: "2.5" }],
      benefits: [{ ...benefit, startPeriod: 1.5 }],
    });
    expect(errors).toEqual({
      "costs.0.periods": ["Periods must be a whole number."],
      "benefits.0.startPeriod": ["Start period must be a whole number."],
    });
    expect(costBenefitSchema.parse({ ...analysis, costs: [{ ...gpuCost, periods: "3" }] }).costs[0]?.periods).toBe(3);
  });

  it("checks the assumptions' ranges", () => {
    const errors = fieldErrors(costBenefitSchema, {
      ...analysis,
      assumptions: { discountRate: "10", period: "week", horizon: 601 },
    });
    expect(errors).toEqual({
      "assumptions.discountRate": ["Discount rate must be less than 10."],
      "assumptions.period": ["Period must be one of: month, year."],
      "assumptions.horizon": ["Horizon cannot be more than 600."],
    });
  });

  it("reports missing fields as sentences, not zod defaults", () => {
    expect(fieldErrors(costBenefitSchema, { currency: "USD", costs: [{ description: "" }] })).toEqual({
      assumptions: ["Assumptions (discount rate, period and horizon) are required."],
      "costs.0.description": ["Description is required."],
      "costs.0.category": ["Category is required."],
      "costs.0.recurrence": ["Recurrence is required."],
      "costs.0.quantity": ["Quantity is required."],
      "costs.0.unit": ["Unit is required."],
      "costs.0.unitPrice": ["Unit price is required."],
    });
  });

  it("refuses periods on a one-off cost and a repeated scenario", () => {
    const scenarios = [
      { name: "expected", costMultiplier: "1", benefitMultiplier: "1" },
      { name: "expected", costMultiplier: "0", benefitMultiplier: "1" },
    ];
    expect(fieldErrors(costBenefitSchema, { ...analysis, costs: [{ ...oneOff, periods: 3 }], scenarios })).toEqual({
      "costs.0.periods": ["A one-off cost happens once: leave periods empty or make it recurring."],
      "scenarios.1.costMultiplier": ["Cost multiplier must be greater than zero."],
      "scenarios.1.name": ["The expected scenario is listed twice."],
    });
  });
});

describe("provisioning lines", () => {
  it("refuses fractional GPUs with the domain's reason", () => {
    expect(fieldErrors(provisioningLineSchema, { ...gpuLine, gpuCount: 1.5 })).toEqual({
      gpuCount: ["GPUs are whole devices: enter a whole number."],
    });
    expect(fieldErrors(provisioningLineSchema, { ...gpuLine, gpuCount: "0.5" })).toEqual({
      gpuCount: ["GPUs are whole devices: enter a whole number."],
    });
  });

  it("needs at least one GPU once a GPU type is set, and none without one", () => {
    expect(fieldErrors(provisioningLineSchema, { ...gpuLine, gpuCount: 0 })).toEqual({
      gpuCount: ["A line with a GPU type needs at least 1 GPU."],
    });
    expect(provisioningLineSchema.parse({ ...gpuLine, gpuType: "", gpuCount: 0 })).toMatchObject({
      gpuType: null,
      gpuCount: 0,
      priceUnit: "node_hour",
    });
  });

  it("bounds hours per month by the longest month", () => {
    expect(fieldErrors(provisioningLineSchema, { ...gpuLine, hoursPerMonth: "745" })).toEqual({
      hoursPerMonth: ["Hours per month cannot be more than 744."],
    });
    expect(fieldErrors(provisioningLineSchema, { ...gpuLine, hoursPerMonth: 0 })).toEqual({
      hoursPerMonth: ["Hours per month must be greater than zero."],
    });
  });

  it("checks line currencies against the analysis", () => {
    const lines = [
      provisioningLineSchema.parse(gpuLine),
      provisioningLineSchema.parse({ ...gpuLine, currency: "GBP" }),
    ];
    expect(checkCurrencies("USD", lines)).toEqual([
      {
        path: ["provisioning", 1, "currency"],
        message: "This provisioning line is in GBP but the analysis is in USD: convert it to USD first.",
      },
    ]);
    expect(fieldErrors(provisioningLinesSchemaFor("USD"), [gpuLine, { ...gpuLine, currency: "GBP" }])).toEqual({
      "1.currency": ["This provisioning line is in GBP but the analysis is in USD: convert it to USD first."],
    });
  });
});

describe("evaluateRequestSchema", () => {
  it("reads raw cash flows, numbers included", () => {
    const parsed = evaluateRequestSchema.parse({
      currency: "JPY",
      discountRate: 0.1,
      period: "year",
      cashFlows: [-100000, "40000.5"],
    });
    expect(parsed).toEqual({
      kind: "cash_flows",
      currency: "JPY",
      discountRate: "0.1",
      period: "year",
      cashFlows: ["-100000", "40000.5"],
    });
  });

  it("reports bad cash flows at their index and refuses an empty list", () => {
    expect(
      fieldErrors(evaluateRequestSchema, {
        currency: "USD",
        discountRate: "0.1",
        period: "year",
        cashFlows: ["1", "1e3", "abc"],
      }),
    ).toEqual({
      "cashFlows.1": ["Cash flow must be a number, e.g. 12.5."],
      "cashFlows.2": ["Cash flow must be a number, e.g. 12.5."],
    });
    expect(
      fieldErrors(evaluateRequestSchema, { currency: "USD", discountRate: "0.1", period: "year", cashFlows: [] }),
    ).toEqual({ cashFlows: ["Enter at least one cash flow."] });
  });

  it("reads analysis-style items with provisioning and checks its currency", () => {
    const parsed = evaluateRequestSchema.parse({ ...analysis, provisioning: [gpuLine] });
    expect(parsed.kind).toBe("analysis");
    expect(
      fieldErrors(evaluateRequestSchema, {
        ...analysis,
        provisioning: [{ ...gpuLine, currency: "EUR", gpuCount: 2.5 }],
      }),
    ).toEqual({
      "provisioning.0.gpuCount": ["GPUs are whole devices: enter a whole number."],
      "provisioning.0.currency": [
        "This provisioning line is in EUR but the analysis is in USD: convert it to USD first.",
      ],
    });
  });
});
