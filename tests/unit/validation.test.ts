import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { isBadInputForDatabase, ValidationError } from "../../lib/errors";
import { errorResponse } from "../../lib/http/problem";
import { parseManifest } from "../../lib/dependencies/manifests";
import { parseOsvRecord } from "../../lib/dependencies/review";
import { requestNumber } from "../../lib/requests/schemas";
import { SetBudgetInput } from "../../lib/budgets/schemas";
import {
  boundedDate,
  boundedInt,
  calendarDate,
  isCalendarDate,
  parseInput,
  safeText,
  text,
  textProblem,
  unstorableText,
} from "../../lib/validation";

const fieldErrorsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fieldErrors;
  }
  throw new Error("expected a ValidationError");
};

describe("text a column can hold", () => {
  it("refuses NUL, other C0 controls and DEL, and keeps tab, newline and carriage return", () => {
    for (const bad of ["a\u0000b", "\u0001", "bell\u0007", "esc\u001b[0m", "del\u007f"])
      expect(textProblem(bad)).toMatch(/control/);
    expect(textProblem("line one\nline two\r\n\tindented")).toBeNull();
    expect(textProblem("ünïcødé 💥")).toBeNull();
  });

  it("refuses unpaired UTF-16 surrogates, high or low, and keeps paired ones", () => {
    for (const bad of ["\ud800", "x\udfffy", "\udc00\ud800"]) expect(textProblem(bad)).toMatch(/surrogate/);
    expect(textProblem("\ud83d\udca5")).toBeNull();
  });

  it("safeText and text() carry the refinement; text() bounds and trims", () => {
    expect(safeText.safeParse("ok").success).toBe(true);
    expect(safeText.safeParse("n\u0000").success).toBe(false);
    const title = text({ min: 3, max: 10, label: "The title" });
    expect(title.parse("  hello  ")).toBe("hello");
    expect(title.safeParse("hi").error?.issues[0]?.message).toBe("The title needs 3 characters or more.");
    expect(title.safeParse("x".repeat(11)).error?.issues[0]?.message).toMatch(/at most 10/);
    expect(title.safeParse("he\ud800llo").success).toBe(false);
  });

  it("parseInput finds bad text anywhere in the input, in values and keys, as field errors at its path", () => {
    const schema = z.object({ a: z.unknown(), list: z.unknown() });
    expect(
      fieldErrorsOf(() => parseInput(schema, { a: { deep: "x\u0000" }, list: ["ok", "\ud800"], "k\u0000": 1 })),
    ).toEqual({
      "a.deep": [expect.stringMatching(/control/)],
      "list.1": [expect.stringMatching(/surrogate/)],
      "k\u0000": [expect.stringMatching(/^The field name/)],
    });
  });

  it("parseInput refuses a value nested deeper than any field of ours", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(Object.values(unstorableText({ deep }))[0]).toEqual([expect.stringMatching(/Nested more than 64/)]);
  });
});

describe("numbers and dates within the column's range", () => {
  it("request numbers stop at the integer column's end, written any way", () => {
    expect(requestNumber.parse("CR-1042")).toBe(1042);
    expect(requestNumber.parse("1042")).toBe(1042);
    expect(requestNumber.parse(2_147_483_647)).toBe(2_147_483_647);
    for (const bad of ["CR-99999999999", "2147483648", "1e20", 1e20, "CR-0", "-1", "0x10", "1.5", "CR-1e3", ""])
      expect(requestNumber.safeParse(bad).success, String(bad)).toBe(false);
  });

  it("boundedInt takes decimal digits or a number within its bounds, never exponents or hex", () => {
    const page = boundedInt({ min: 1, max: 100, label: "Page" });
    expect(page.parse("7")).toBe(7);
    for (const bad of ["1e2", "0x10", "101", "0", 1.5, "NaN", "Infinity"])
      expect(page.safeParse(bad).success).toBe(false);
  });

  it("calendar dates must exist, within years 1900-9999", () => {
    for (const ok of ["2026-11-01", "2028-02-29", "9999-12-31"]) expect(isCalendarDate(ok), ok).toBe(true);
    for (const bad of ["2031-02-30", "2031-13-01", "2031-00-10", "2027-02-29", "0000-01-01", "99999-01-01", "2031-1-1"])
      expect(isCalendarDate(bad), bad).toBe(false);
    expect(calendarDate().safeParse("+275760-09-13").success).toBe(false);
    expect(boundedDate("a date").safeParse("0001-01-01").success).toBe(false);
    expect(boundedDate("a date").safeParse("+275760-09-13").success).toBe(false);
    expect(boundedDate("a date").parse("2026-05-01T10:00:00Z")).toEqual(new Date("2026-05-01T10:00:00Z"));
  });

  it("a budget too large for minor units is a field error, not a RangeError later", () => {
    const base = { teamId: crypto.randomUUID(), interval: "month", periodStart: "2026-11-01", currency: "USD" };
    expect(SetBudgetInput.safeParse({ ...base, amount: "999999999999.99" }).success).toBe(true);
    for (const amount of ["9999999999999", "99999999999999999999999", "1" + "0".repeat(400)])
      expect(SetBudgetInput.safeParse({ ...base, amount }).error?.issues[0]?.path).toEqual(["amount"]);
    expect(SetBudgetInput.safeParse({ ...base, amount: "1", periodStart: "2031-02-30" }).success).toBe(false);
  });
});

describe("names past the index row limit", () => {
  it("a manifest entry with a name or version longer than any registry allows is an error at its line", () => {
    const result = parseManifest({
      files: [{ name: "requirements.txt", content: `numpy==1.26.4\n${"a".repeat(3_000)}==1.0\n` }],
    });
    expect(result.dependencies.map((d) => d.normalizedName)).toEqual(["numpy"]);
    expect(result.errors).toEqual([{ line: 2, message: expect.stringMatching(/over 214 characters/) }]);
  });

  it("an OSV record with an id past 200 characters, an impossible time or a NUL is reported, not stored", () => {
    const record = { id: "GHSA-x", modified: "2026-01-01T00:00:00Z" };
    expect(parseOsvRecord(record).ok).toBe(true);
    for (const bad of [
      { id: "G".repeat(3_000) },
      { modified: "2031-02-30T99:00:00Z" },
      { modified: "+275760-09-13T00:00:00Z" },
      { id: "GHSA\u0000" },
    ])
      expect(parseOsvRecord({ ...record, ...bad }).ok, JSON.stringify(bad)).toBe(false);
  });
});

describe("the last line of defence: PostgreSQL's bad-input errors", () => {
  beforeEach(() => {
    vi.spyOn(console, "error").mockImplementation(() => undefined); // each mapping is logged; not wanted here
  });
  const pgError = (code: string) => Object.assign(new Error("Failed query"), { cause: { code } });

  it("maps invalid text, out-of-range numbers and dates, bad characters and index rows too large to a 400 problem", async () => {
    for (const code of ["22P02", "22003", "22007", "22008", "22021", "22P05", "54000"]) {
      expect(isBadInputForDatabase(pgError(code)), code).toBe(true);
      const response = errorResponse(pgError(code));
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(await response.json()).toMatchObject({
        status: 400,
        code: "validation",
        errors: { _form: [expect.any(String)] },
      });
    }
  });

  it("leaves every other failure a 500 (a bug stays visible)", () => {
    for (const error of [pgError("23503"), pgError("40001"), new TypeError("x is undefined"), "a string"]) {
      expect(isBadInputForDatabase(error)).toBe(false);
      expect(errorResponse(error).status).toBe(500);
    }
  });
});
