import { describe, expect, it } from "vitest";
import {
  analyse,
  costBenefitSchema,
  evaluateCashFlows,
  evaluateRequestSchema,
  provisioningLinesSchema,
  totalCostMinor,
  type CostBenefitAnalysis,
} from "../../lib/cba";

const input = {
  currency: "USD",
  assumptions: { discountRate: "0.1", period: "year", horizon: 3, optimismBias: "0.1" },
  costs: [
    {
      description: "Labelling",
      category: "people",
      recurrence: "one_off",
      quantity: "10",
      unit: "FTE-day",
      unitPrice: "1000",
    },
    {
      description: "Licence",
      category: "licence",
      recurrence: "recurring",
      quantity: "1",
      unit: "seat-year",
      unitPrice: "2000",
    },
  ],
  benefits: [
    { description: "Analyst time saved", amountPerPeriod: "15000", confidence: "high", monetised: true },
    { description: "Better morale", amountPerPeriod: "999999", confidence: "low", monetised: false },
  ],
};

const gpuLine = {
  instanceType: "p4d.24xlarge",
  gpuType: "A100",
  gpuCount: 8,
  months: 18,
  pricingModel: "reserved",
  pricePerHour: "2.50",
  priceSource: "AWS",
  priceDate: "2025-01-15",
};

describe("analyse", () => {
  const report = analyse(costBenefitSchema.parse(input));

  it("evaluates each default scenario with optimism bias on costs (figures checked with exact fractions)", () => {
    expect(report.scenarios.map((s) => [s.name, s.npv, s.pvCosts, s.pvBenefits, s.irr[0]])).toEqual([
      ["pessimistic", "10076.93", "19765.29", "29842.22", "0.498255"],
      ["expected", "20831.71", "16471.07", "37302.78", "1.023110"],
      ["optimistic", "29939.37", "14823.97", "44763.34", "1.516662"],
    ]);
    const expected = report.scenarios[1];
    expect(expected).toMatchObject({
      roi: "1.264745",
      bcr: "2.264745",
      switchingValue: "0.558449",
      paybackPeriods: "0.86",
      discountedPaybackPeriods: "0.95",
    });
    expect(expected?.cumulativeDiscounted).toEqual(["-11000.00", "636.36", "11214.88", "20831.71"]);
  });

  it("totals undiscounted expected-scenario money in minor units, leaving out non-monetised benefits", () => {
    expect(report.currency).toBe("USD");
    expect(report.digits).toBe(2);
    expect(report.totals).toEqual({ costMinor: 1_760_000, benefitMinor: 4_500_000, provisioningMinor: 0 });
    expect(report.warnings).toEqual([]);
  });

  it("includes provisioning in costs and warns about months past the horizon", () => {
    const monthly = costBenefitSchema.parse({
      ...input,
      assumptions: { ...input.assumptions, period: "month", horizon: 12, optimismBias: "0" },
      costs: [],
      benefits: [],
    });
    const lines = provisioningLinesSchema.parse([gpuLine]);
    const withLines = analyse(monthly, lines);
    expect(withLines.totals).toEqual({ costMinor: 12 * 1_460_000, benefitMinor: 0, provisioningMinor: 18 * 1_460_000 });
    expect(totalCostMinor(monthly, lines)).toBe(12 * 1_460_000);
    expect(withLines.warnings).toContain(
      'Provisioning "p4d.24xlarge" runs 18 months; the last 6 fall after the horizon and are left out.',
    );
    expect(withLines.warnings).toContain("Expected scenario: IRR is undefined: cash flows never change sign.");
    expect(withLines.scenarios[1]).toMatchObject({
      bcr: "0.000000",
      roi: "-1.000000",
      switchingValue: null,
      paybackPeriods: null,
    });
  });

  it("warns about items that start after the horizon instead of failing", () => {
    const late = costBenefitSchema.parse({
      ...input,
      costs: [...input.costs, { ...input.costs[0], description: "Audit", startPeriod: 7 }],
      benefits: [{ ...input.benefits[0], startPeriod: 4, periods: 2 }],
    });
    const result = analyse(late);
    expect(result.warnings).toEqual([
      'Cost "Audit" starts in year 7, after the 3-year horizon, so it is left out.',
      'Benefit "Analyst time saved" starts in year 4, after the 3-year horizon, so it is left out.',
      "Pessimistic scenario: IRR is undefined: cash flows never change sign.",
      "Expected scenario: IRR is undefined: cash flows never change sign.",
      "Optimistic scenario: IRR is undefined: cash flows never change sign.",
    ]);
    expect(result.totals.costMinor).toBe(1_760_000);
  });

  it("rounds money to the currency's digits: none for JPY, three for KWD", () => {
    const yen = analyse(costBenefitSchema.parse({ ...input, currency: "JPY" }));
    expect(yen.digits).toBe(0);
    expect(yen.scenarios[1]?.npv).toBe("20832");
    expect(yen.totals.costMinor).toBe(17_600);
    const dinar = analyse(costBenefitSchema.parse({ ...input, currency: "KWD" }));
    expect(dinar.scenarios[1]?.npv).toBe("20831.705");
    expect(dinar.totals.costMinor).toBe(17_600_000);
  });

  it("refuses to add amounts in another currency even if validation was skipped", () => {
    const parsed = costBenefitSchema.parse(input);
    const mixed: CostBenefitAnalysis = { ...parsed, costs: [{ ...parsed.costs[0]!, currency: "EUR" }] };
    expect(() => analyse(mixed)).toThrow(/EUR.*USD/);
  });
});

describe("evaluateCashFlows with analysis-style input", () => {
  it("evaluates the expected scenario and returns exactly the calculator fields", () => {
    const result = evaluateCashFlows(evaluateRequestSchema.parse(input));
    expect(result).toEqual({
      npv: "20831.71",
      irr: ["1.023110"],
      paybackPeriods: "0.86",
      discountedPaybackPeriods: "0.95",
      roi: "1.264745",
      bcr: "2.264745",
      switchingValue: "0.558449",
      warnings: [],
    });
  });
});
