import type Decimal from "decimal.js";
import { z } from "zod";
import { storable } from "../validation";
import { Dec } from "./decimal";
import { isCurrency } from "./money";

/**
 * Field builders for the schemas. Each owns its messages because the app shows issue.message next to the
 * field at issue.path: they must read as sentences a person can act on, not zod's defaults.
 */

const PLAIN_DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Blank form inputs arrive as "" (or null from JSON): treat them as "not given". */
function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

/**
 * Bounds on any figure, checked before the number is read, so a hostile input costs nothing: at most
 * 40 characters (a 15-digit amount with 10 decimals fits with room), and a magnitude below 10^15
 * (a quadrillion, in minor units still inside a 64-bit integer column).
 */
const MAX_CHARS = 40;
const MAX_MAGNITUDE = "1e15";
const TOO_LONG = (label: string) =>
  `${label} has too many digits: use at most 15 before the decimal point and 10 after.`;

/** Numbers are read through their shortest string form, so 0.1 stays exactly 0.1. */
function readDecimal(value: unknown): Decimal | null {
  if (typeof value === "number") return Number.isFinite(value) ? new Dec(value) : null;
  if (typeof value === "string" && PLAIN_DECIMAL.test(value.trim())) return new Dec(value.trim());
  return null;
}

const tooLong = (value: unknown) => typeof value === "string" && value.trim().length > MAX_CHARS;

export interface DecimalRule {
  label: string;
  /** "any" allows negatives (cash flows); the default is "zero" (>= 0). */
  min?: "any" | "zero" | "positive";
  maxExclusive?: string;
  maxInclusive?: string;
  maxDecimals?: number;
  /** Used when the field is left out or blank. */
  fallback?: string;
}

function decimalProblem(value: Decimal, rule: DecimalRule): string | null {
  const { label, min = "zero" } = rule;
  if (value.abs().gte(MAX_MAGNITUDE)) return `${label} must be less than 1,000,000,000,000,000 in size.`;
  if (min === "zero" && value.isNeg() && !value.isZero()) return `${label} cannot be negative.`;
  if (min === "positive" && value.lte(0)) return `${label} must be greater than zero.`;
  if (rule.maxExclusive !== undefined && value.gte(rule.maxExclusive))
    return `${label} must be less than ${rule.maxExclusive}.`;
  if (rule.maxInclusive !== undefined && value.gt(rule.maxInclusive))
    return `${label} cannot be more than ${rule.maxInclusive}.`;
  if (rule.maxDecimals !== undefined && value.decimalPlaces() > rule.maxDecimals) {
    return `${label} can have at most ${rule.maxDecimals} decimal places.`;
  }
  return null;
}

/** A decimal given as a string or number, returned as a canonical decimal string ("1.50" -> "1.5"). */
export function decimalField(rule: DecimalRule) {
  return z
    .unknown()
    .optional()
    .transform((input, ctx): string => {
      if (isBlank(input)) {
        if (rule.fallback !== undefined) return rule.fallback;
        ctx.addIssue({ code: "custom", message: `${rule.label} is required.` });
        return z.NEVER;
      }
      if (tooLong(input)) {
        ctx.addIssue({ code: "custom", message: TOO_LONG(rule.label) });
        return z.NEVER;
      }
      const value = readDecimal(input);
      const problem = value ? decimalProblem(value, rule) : `${rule.label} must be a number, e.g. 12.5.`;
      if (problem || !value) {
        ctx.addIssue({ code: "custom", message: problem ?? `${rule.label} must be a number.` });
        return z.NEVER;
      }
      return value.isZero() ? "0" : value.toFixed();
    });
}

export interface IntegerRule {
  label: string;
  min: number;
  max?: number;
  /** Overrides the generic "must be a whole number" where the domain has a better reason to give. */
  wholeMessage?: string;
}

function integerProblem(value: Decimal, rule: IntegerRule): string | null {
  if (!value.isInteger()) return rule.wholeMessage ?? `${rule.label} must be a whole number.`;
  if (value.lt(rule.min))
    return rule.min === 0 ? `${rule.label} cannot be negative.` : `${rule.label} must be at least ${rule.min}.`;
  const max = rule.max ?? Number.MAX_SAFE_INTEGER;
  if (value.gt(max)) return `${rule.label} cannot be more than ${max}.`;
  return null;
}

function readInteger(input: unknown, rule: IntegerRule, ctx: z.RefinementCtx): number {
  const value = tooLong(input) ? null : readDecimal(input);
  const problem = value ? integerProblem(value, rule) : `${rule.label} must be a whole number.`;
  if (problem || !value) {
    ctx.addIssue({ code: "custom", message: problem ?? `${rule.label} must be a whole number.` });
    return z.NEVER;
  }
  return value.toNumber();
}

/** A whole number; numeric strings from forms are accepted, fractions are refused. */
export function integerField(rule: IntegerRule & { fallback?: number }) {
  return z
    .unknown()
    .optional()
    .transform((input, ctx): number => {
      if (!isBlank(input)) return readInteger(input, rule, ctx);
      if (rule.fallback !== undefined) return rule.fallback;
      ctx.addIssue({ code: "custom", message: `${rule.label} is required.` });
      return z.NEVER;
    });
}

/** A whole number whose default depends on other fields, so "not given" survives as undefined. */
export function optionalIntegerField(rule: IntegerRule) {
  return z
    .unknown()
    .optional()
    .transform((input, ctx): number | undefined => (isBlank(input) ? undefined : readInteger(input, rule, ctx)));
}

export function textField(label: string, min: number, max: number) {
  const base = z
    .string({ error: (issue) => (issue.input === undefined ? `${label} is required.` : `${label} must be text.`) })
    .trim()
    .max(max, `${label} can be at most ${max} characters.`)
    .superRefine(storable);
  return min > 0 ? base.min(min, `${label} is required.`) : base;
}

export function choiceField<const T extends readonly [string, ...string[]]>(label: string, options: T) {
  return z.enum(options, {
    error: (issue) =>
      issue.input === undefined ? `${label} is required.` : `${label} must be one of: ${options.join(", ")}.`,
  });
}

function unknownCurrency(code: string): string {
  return `Unknown currency code ${code} (use ISO 4217, e.g. USD).`;
}

/** Codes are upper-cased before checking: "usd" in a form is an obvious USD, not an error. */
export const currencyField = z
  .unknown()
  .optional()
  .transform((input, ctx): string => {
    if (isBlank(input) || typeof input !== "string") {
      ctx.addIssue({
        code: "custom",
        message: isBlank(input) ? "Currency is required." : "Currency must be a code such as USD.",
      });
      return z.NEVER;
    }
    const code = input.trim().toUpperCase();
    if (!isCurrency(code)) {
      ctx.addIssue({ code: "custom", message: unknownCurrency(code) });
      return z.NEVER;
    }
    return code;
  });

/** On an item the currency is optional: it only exists to catch amounts quoted in another currency. */
export const itemCurrencyField = z
  .unknown()
  .transform((input, ctx): string | undefined => {
    if (isBlank(input)) return undefined;
    const code = typeof input === "string" ? input.trim().toUpperCase() : "";
    if (isCurrency(code)) return code;
    ctx.addIssue({ code: "custom", message: code ? unknownCurrency(code) : "Currency must be a code such as USD." });
    return z.NEVER;
  })
  .optional();

function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function readDate(input: unknown, label: string, ctx: z.RefinementCtx): string {
  const text = typeof input === "string" ? input.trim() : "";
  if (isCalendarDate(text)) return text;
  ctx.addIssue({ code: "custom", message: `${label} must be a date like 2025-01-31.` });
  return z.NEVER;
}

/** An ISO calendar date (yyyy-mm-dd); "2025-02-30" is refused, not rolled over into March. */
export function dateField(label: string) {
  return z
    .unknown()
    .optional()
    .transform((input, ctx): string => {
      if (!isBlank(input)) return readDate(input, label, ctx);
      ctx.addIssue({ code: "custom", message: `${label} is required.` });
      return z.NEVER;
    });
}

export function optionalDateField(label: string) {
  return z
    .unknown()
    .optional()
    .transform((input, ctx): string | null => (isBlank(input) ? null : readDate(input, label, ctx)));
}
