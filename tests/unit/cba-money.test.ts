import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocate, currencyDigits, formatMoney, fromMinorUnits, isCurrency, toMinorUnits } from "../../lib/cba";

describe("currencies", () => {
  it("accepts ISO 4217 codes in upper case only", () => {
    expect(isCurrency("USD")).toBe(true);
    expect(isCurrency("KWD")).toBe(true);
    expect(isCurrency("XYZ")).toBe(false);
    expect(isCurrency("usd")).toBe(false);
    expect(isCurrency("US")).toBe(false);
  });

  it("takes minor-unit digits from Intl", () => {
    expect(currencyDigits("USD")).toBe(2);
    expect(currencyDigits("JPY")).toBe(0);
    expect(currencyDigits("KWD")).toBe(3);
    expect(() => currencyDigits("XYZ")).toThrow(RangeError);
  });
});

describe("toMinorUnits", () => {
  it("avoids the float traps: 2.675 USD is 268 cents, 1.015 USD is 102", () => {
    // The binary doubles behind these literals sit just below the half, so floats round down.
    expect((2.675).toFixed(2)).toBe("2.67");
    expect(Math.round(1.015 * 100)).toBe(101);
    expect(toMinorUnits("2.675", "USD")).toBe(268);
    expect(toMinorUnits("1.015", "USD")).toBe(102);
    expect(toMinorUnits("1.005", "USD")).toBe(100);
  });

  it("rounds half to even once", () => {
    expect(toMinorUnits("1234.5", "JPY")).toBe(1234);
    expect(toMinorUnits("1235.5", "JPY")).toBe(1236);
    expect(toMinorUnits("-1234.5", "JPY")).toBe(-1234);
    expect(toMinorUnits("0.0005", "KWD")).toBe(0);
    expect(toMinorUnits("0.0015", "KWD")).toBe(2);
    expect(toMinorUnits("0.0025", "KWD")).toBe(2);
    expect(toMinorUnits("0.00251", "KWD")).toBe(3);
    expect(toMinorUnits("0.125", "USD")).toBe(12);
  });

  it("refuses amounts beyond the safe integer range", () => {
    expect(toMinorUnits("90071992547409.91", "USD")).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toMinorUnits("90071992547409.92", "USD")).toThrow(RangeError);
    expect(() => toMinorUnits("9007199254740992", "JPY")).toThrow(RangeError);
  });
});

describe("fromMinorUnits and formatMoney", () => {
  it("converts back exactly", () => {
    expect(fromMinorUnits(1460000, "USD").toFixed()).toBe("14600");
    expect(fromMinorUnits(1234567, "KWD").toFixed()).toBe("1234.567");
    expect(fromMinorUnits(-5, "JPY").toFixed()).toBe("-5");
    expect(() => fromMinorUnits(1.5, "USD")).toThrow(RangeError);
  });

  it("formats with the currency's digits", () => {
    expect(formatMoney(1460000, "USD")).toBe("$14,600.00");
    expect(formatMoney(-1234, "JPY")).toBe("-¥1,234");
    expect(formatMoney(1234567, "KWD")).toBe("KWD\u00a01,234.567");
    expect(formatMoney(150, "EUR", "de-DE")).toBe("1,50\u00a0€");
  });

  it("formats the largest safe amount without float drift", () => {
    // As a float, 9007199254740991 / 100 formats as $90,071,992,547,409.90.
    expect(formatMoney(Number.MAX_SAFE_INTEGER, "USD")).toBe("$90,071,992,547,409.91");
  });
});

describe("allocate", () => {
  it("splits $100.00 three ways as 3334, 3333, 3333 (worked case 9)", () => {
    expect(allocate(10000, [1, 1, 1])).toEqual([3334, 3333, 3333]);
  });

  it("follows the weights and gives leftovers to the largest remainders", () => {
    expect(allocate(100, [1, 2])).toEqual([33, 67]);
    expect(allocate(10, ["0.5", "0.25", "0.25"])).toEqual([5, 3, 2]);
    expect(allocate(7, [0, 1, 1])).toEqual([0, 4, 3]);
    expect(allocate(-10000, [1, 1, 1])).toEqual([-3334, -3333, -3333]);
  });

  it("refuses impossible splits", () => {
    expect(() => allocate(100, [0, 0])).toThrow(RangeError);
    expect(() => allocate(100, [])).toThrow(RangeError);
    expect(() => allocate(100, [1, -1])).toThrow(RangeError);
    expect(() => allocate(1.5, [1])).toThrow(RangeError);
  });

  const weight = fc.oneof(
    fc.nat({ max: 1000 }),
    fc.integer({ min: 0, max: 10 ** 6 }).map((n) => (n / 10 ** 4).toString()),
  );

  it("always sums to the total", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(10 ** 12), max: 10 ** 12 }),
        fc.array(weight, { minLength: 1, maxLength: 12 }),
        (total, weights) => {
          fc.pre(weights.some((w) => Number(w) > 0));
          const parts = allocate(total, weights);
          expect(parts).toHaveLength(weights.length);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          weights.forEach((w, i) => {
            if (Number(w) === 0) expect(parts[i]).toBe(0);
          });
        },
      ),
    );
  });

  it("gives equal weights parts within one unit, larger parts first", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 1, max: 20 }),
        (total, count) => {
          const parts = allocate(
            total,
            Array.from({ length: count }, () => 1),
          );
          expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
          expect([...parts].sort((a, b) => b - a)).toEqual(parts);
        },
      ),
    );
  });
});

describe("minor-unit round trip", () => {
  const currency = fc.constantFrom("USD", "JPY", "KWD", "EUR", "BHD");

  it("fromMinorUnits then toMinorUnits returns the same integer", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        currency,
        (minor, code) => {
          expect(toMinorUnits(fromMinorUnits(minor, code), code)).toBe(minor);
        },
      ),
    );
  });

  it("an amount already at the currency's precision survives toMinorUnits then fromMinorUnits", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }), currency, (scaled, code) => {
        const digits = currencyDigits(code);
        const amount = fromMinorUnits(Number(scaled), code).toFixed(digits);
        expect(fromMinorUnits(toMinorUnits(amount, code), code).toFixed(digits)).toBe(amount);
      }),
    );
  });
});
