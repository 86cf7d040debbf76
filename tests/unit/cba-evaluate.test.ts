import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  annualRate,
  evaluateCashFlows,
  evaluateFlows,
  evaluateRequestSchema,
  irr,
  irrRoots,
  npv,
  paybackPeriods,
  periodRate,
} from "../../lib/cba";

const CASE_1 = ["-100000", "40000", "40000", "40000"];

function calculate(cashFlows: (string | number)[], discountRate = "0.1", period = "year", currency = "USD") {
  return evaluateCashFlows(evaluateRequestSchema.parse({ currency, discountRate, period, cashFlows }));
}

describe("worked case 1: [-100000, 40000 x 3] at 10%", () => {
  it("has NPV -525.92, IRR 9.701%, payback 2.50 years and no discounted payback", () => {
    expect(calculate(CASE_1)).toEqual({
      npv: "-525.92",
      irr: ["0.097010"],
      paybackPeriods: "2.50",
      discountedPaybackPeriods: null,
      roi: "-0.005259",
      bcr: "0.994741",
      switchingValue: "-0.005287",
      warnings: [],
    });
  });
});

describe("worked case 2: NPV convention", () => {
  it("does not discount t = 0 the way spreadsheet NPV() does (-478.11)", () => {
    const spreadsheet = npv(CASE_1, "0.1").div("1.1").toDecimalPlaces(2).toFixed(2);
    expect(spreadsheet).toBe("-478.11");
    expect(calculate(CASE_1).npv).toBe("-525.92");
    expect(calculate(CASE_1).npv).not.toBe(spreadsheet);
  });
});

describe("worked case 5: flows that never change sign", () => {
  it("has no IRR and says why", () => {
    const result = calculate([100, 50, 50]);
    expect(result.irr).toEqual([]);
    expect(result.warnings).toEqual(["IRR is undefined: cash flows never change sign."]);
    expect(result.paybackPeriods).toBe("0.00");
  });
});

describe("several IRRs", () => {
  it("finds both roots of [-100, 230, -132] (10% and 20%) and warns to use NPV", () => {
    const result = calculate([-100, 230, -132]);
    expect(result.irr).toEqual(["0.100000", "0.200000"]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/several IRRs.*NPV/);
  });

  it("finds three roots when the flows change sign three times", () => {
    // -1000 (y - 1.05)(y - 1.25)(y - 1.6) with y = 1 + i, expanded: roots at 5%, 25% and 60%.
    const result = irr(["-1000", "3900", "-4992.5", "2100"], "year");
    expect(result.rates.map((r) => r.toDecimalPlaces(6).toFixed(6))).toEqual(["0.050000", "0.250000", "0.600000"]);
    expect(result.warnings[0]).toContain("change sign 3 times");
  });
});

describe("rates", () => {
  it("converts an annual rate to the compound monthly equivalent and back", () => {
    expect(periodRate("0.1", "month").toDecimalPlaces(12).toFixed(12)).toBe("0.007974140429");
    expect(periodRate("0.1", "year").toFixed()).toBe("0.1");
    expect(annualRate(periodRate("0.08", "month"), "month").toDecimalPlaces(12).toFixed()).toBe("0.08");
  });

  it("reports monthly IRRs as annual rates", () => {
    const monthly = periodRate("0.1", "month");
    // 100 now for 100 x (1 + monthly) next month: an IRR of exactly 10% a year.
    const result = irr(["-100", monthly.plus(1).times(100)], "month");
    expect(result.rates.map((r) => r.toDecimalPlaces(6).toFixed(6))).toEqual(["0.100000"]);
  });

  it("discounts monthly flows with the monthly rate", () => {
    const flows = ["-1000", ...Array.from({ length: 12 }, () => "100")];
    const expected = npv(flows, periodRate("0.12", "month"));
    expect(
      evaluateFlows({ net: flows }, "0.12", "month").npv.toDecimalPlaces(20).eq(expected.toDecimalPlaces(20)),
    ).toBe(true);
    expect(expected.toDecimalPlaces(2).toFixed(2)).toBe("129.15");
    // The naive 12% / 12 = 1% a month compounds to 12.68% a year, so it discounts too much.
    expect(npv(flows, "0.01").toDecimalPlaces(2).toFixed(2)).toBe("125.51");
  });

  it("treats a zero rate as a plain sum", () => {
    const result = calculate([-100, 30, 30, 50], "0");
    expect(result.npv).toBe("10.00");
    expect(result.paybackPeriods).toBe(result.discountedPaybackPeriods);
    expect(result.paybackPeriods).toBe("2.80");
  });
});

describe("payback", () => {
  it("interpolates inside the period where the running total first reaches zero", () => {
    expect(paybackPeriods(["-100", "50", "25", "100"])?.toFixed()).toBe("2.25");
    expect(paybackPeriods(["-100", "100"])?.toFixed()).toBe("1");
    expect(paybackPeriods(["-100", "10"])).toBeNull();
    // Spending that starts after t = 0 still has to be earned back.
    expect(paybackPeriods(["0", "-100", "40", "80"])?.toFixed()).toBe("2.75");
    expect(paybackPeriods(["0", "-100"])).toBeNull();
    expect(paybackPeriods(["0", "100"])?.toFixed()).toBe("0");
  });
});

describe("edge cases", () => {
  it("a zero-cost project has no ROI or BCR but still an NPV", () => {
    const result = calculate([0, 500, 500]);
    expect(result).toMatchObject({ npv: "867.77", roi: null, bcr: null, switchingValue: "1.000000", irr: [] });
  });

  it("a project with no benefits has no switching value", () => {
    const result = calculate([-100, 0]);
    expect(result).toMatchObject({
      npv: "-100.00",
      roi: "-1.000000",
      bcr: "0.000000",
      switchingValue: null,
      paybackPeriods: null,
    });
  });

  it("rounds NPV to the currency's digits, half-even", () => {
    // At a zero rate NPV is the exact sum, so the rounding itself is what is tested.
    expect(calculate(["-1000.5", "0"], "0", "year", "JPY").npv).toBe("-1000");
    expect(calculate(["-1001.5", "0"], "0", "year", "JPY").npv).toBe("-1002");
    expect(calculate(["0.0005", "0"], "0", "year", "KWD").npv).toBe("0.000");
    expect(calculate(["0.0015", "0"], "0", "year", "KWD").npv).toBe("0.002");
  });

  it("cumulative discounted flows end at the NPV", () => {
    const metrics = evaluateFlows({ net: CASE_1 }, "0.1", "year");
    expect(metrics.cumulativeDiscounted.map((v) => v.toDecimalPlaces(2).toFixed(2))).toEqual([
      "-100000.00",
      "-63636.36",
      "-30578.51",
      "-525.92",
    ]);
  });
});

describe("IRR roots are zeros of NPV", () => {
  const flowsArb = fc
    .tuple(
      fc.integer({ min: -10_000, max: -1 }),
      fc.array(fc.integer({ min: -10_000, max: 10_000 }), { minLength: 1, maxLength: 6 }),
    )
    .map(([first, rest]) => [first, ...rest].map(String));

  it("NPV at every reported root is ~0 and changes sign around it", () => {
    fc.assert(
      fc.property(flowsArb, (flows) => {
        for (const root of irrRoots(flows)) {
          const scale =
            flows.reduce((acc, flow, t) => acc + Math.abs(Number(flow)) * (t + 1), 0) *
            Math.max(1, 1 / (1 + root.toNumber())) ** (flows.length + 1);
          expect(npv(flows, root).abs().toNumber()).toBeLessThanOrEqual(scale * 1e-9);
          const below = npv(flows, root.minus("1e-9"));
          const above = npv(flows, root.plus("1e-9"));
          expect(below.isZero() || above.isZero() || below.isNeg() !== above.isNeg()).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });
});
