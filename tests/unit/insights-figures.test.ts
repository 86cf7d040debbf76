import { describe, expect, it } from "vitest";
import { toCsv } from "../../lib/insights/csv";
import { bottleneck, durationInWords, median, p90, percentile, savedHoursEstimate } from "../../lib/insights/figures";
import { InsightQuery, periodOf } from "../../lib/insights/filters";

describe("insight figures", () => {
  it("takes percentiles as PostgreSQL's percentile_cont does (linear between ranks)", () => {
    expect(median([10, 30, 98])).toBe(30);
    expect(p90([10, 30, 98])).toBeCloseTo(84.4);
    expect(median([1, 2])).toBe(1.5);
    expect(percentile([5], 0.9)).toBe(5);
    expect(median([])).toBeNull();
  });

  it("names the bottleneck in one sentence, or nothing when nobody waited", () => {
    expect(
      bottleneck([
        { name: "Manager sign-off", waitingHours: 39, medianHours: 5 },
        { name: "Security review", waitingHours: 61, medianHours: 50.4 },
      ]),
    ).toEqual({
      name: "Security review",
      share: 61,
      medianHours: 50.4,
      sentence: "Security review holds 61% of waiting time; median 2.1 days.",
    });
    expect(bottleneck([{ name: "Security review", waitingHours: 3, medianHours: null }])?.sentence).toBe(
      "Security review holds 100% of waiting time; none decided yet.",
    );
    expect(bottleneck([])).toBeNull();
    expect(bottleneck([{ name: "x", waitingHours: 0, medianHours: null }])).toBeNull();
  });

  it("says durations as people count them", () => {
    expect(durationInWords(0.25)).toBe("15 minutes");
    expect(durationInWords(5)).toBe("5.0 hours");
    expect(durationInWords(50.4)).toBe("2.1 days");
  });

  it("estimates saved approver time only from human decisions to compare with", () => {
    expect(savedHoursEstimate(3, 4)).toBe(12);
    expect(savedHoursEstimate(3, null)).toBeNull();
    expect(savedHoursEstimate(0, null)).toBe(0);
  });

  it("defaults the period to the twelve weeks up to today, and refuses periods backwards or past a year", () => {
    expect(periodOf({}, new Date("2031-05-12T10:00:00Z"))).toEqual({ from: "2031-02-18", to: "2031-05-12" });
    expect(periodOf({ from: "2031-01-01" }, new Date())).toEqual({ from: "2031-01-01", to: "2031-03-25" });
    expect(InsightQuery.safeParse({ from: "2031-05-02", to: "2031-05-01" }).success).toBe(false);
    expect(InsightQuery.safeParse({ from: "2030-01-01", to: "2031-01-01" }).success).toBe(true); // 366 days
    expect(InsightQuery.safeParse({ from: "2030-01-01", to: "2031-01-02" }).success).toBe(false);
  });

  it("writes CSV per RFC 4180, defusing formulas but not negative numbers", () => {
    expect(
      toCsv([
        { group: 'Say "hi", then', value: -2 },
        { group: "=cmd()", value: null },
      ]),
    ).toBe('group,value\r\n"Say ""hi"", then",-2\r\n\'=cmd(),\r\n');
  });
});
