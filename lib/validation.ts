import { z } from "zod";
import { ValidationError, type FieldErrors } from "./errors";

// The boundary every input crosses (verbs through defineVerb, reads through parseInput): what
// PostgreSQL would refuse with a 500 is refused here with a 400 at the field instead.

/** PostgreSQL's integer (int4) range: request numbers, counts, pages, sequence cursors below it. */
export const INT4_MAX = 2_147_483_647;
/** Years a date field may name: PostgreSQL's date holds more, but no real filter or period is outside these. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 9999;

/** C0 controls other than tab, newline and carriage return (NUL among them: text columns refuse it), and DEL. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Why a string cannot be stored as text, or null when it can. */
export function textProblem(value: string): string | null {
  if (CONTROL.test(value)) return "Remove the control characters (such as NUL) from this text.";
  if (!value.isWellFormed()) return "This text holds an unpaired UTF-16 surrogate; send valid Unicode.";
  return null;
}

/** The refinement behind every text field: `.superRefine(storable)` on any z.string() chain. */
export function storable(value: string, ctx: z.RefinementCtx): void {
  const problem = textProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
}

/** A string refined to what a text column can hold: no NUL or other C0 controls, no lone surrogates. */
export const safeText = z.string().superRefine(storable);

/** Free text bounded in length (trimmed unless told not to): the one shape for titles, reasons, bodies. */
export function text(options: { min?: number; max: number; label?: string; trim?: boolean }) {
  const { min = 0, max, label = "This text", trim = true } = options;
  const base = (
    trim ? z.string({ error: `${label} must be text.` }).trim() : z.string({ error: `${label} must be text.` })
  )
    .max(max, `${label} can be at most ${max.toLocaleString("en")} characters.`)
    .superRefine(storable);
  return min > 0
    ? base.min(min, min === 1 ? `${label} is required.` : `${label} needs ${min} characters or more.`)
    : base;
}

/** A whole number within the column's range, from a number or its decimal digits (never 1e20 or 0x10). */
export function boundedInt(options: { min: number; max: number; label?: string }) {
  const { min, max, label = "This" } = options;
  const message = `${label} must be a whole number from ${min.toLocaleString("en")} to ${max.toLocaleString("en")}.`;
  return z.preprocess(
    (v) => (typeof v === "string" && /^\s*-?\d{1,16}\s*$/.test(v) ? Number(v) : v),
    z.number({ error: message }).int(message).min(min, message).max(max, message),
  );
}

/** A form checkbox ("on", "true", "1") or a JSON boolean. */
export const checkbox = z.preprocess((v) => v === true || v === "true" || v === "on" || v === "1", z.boolean());

/** A real calendar date written YYYY-MM-DD, its year within MIN_YEAR..MAX_YEAR (no 2031-02-30, no year 0). */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
export const calendarDate = (message = "A real date like 2026-11-01.") =>
  z.string({ error: message }).trim().refine(isCalendarDate, message);

/** Deeper than this, a JSON value is refused: no field of ours nests near it, and jsonb has its own stack limit. */
const MAX_DEPTH = 64;

/** A moment (a date or a date and time) whose year is within MIN_YEAR..MAX_YEAR: what a timestamp column takes. */
export function boundedDate(message: string) {
  return z.coerce
    .date({ error: message })
    .refine((d) => d.getUTCFullYear() >= MIN_YEAR && d.getUTCFullYear() <= MAX_YEAR, message);
}

/** Every string and key inside `input` that no text column could hold, as field errors at its path. */
export function unstorableText(input: unknown, limit = 100_000): FieldErrors {
  const errors: FieldErrors = {};
  let seen = 0;
  const visit = (value: unknown, path: string[], depth: number) => {
    if (++seen > limit) return;
    if (depth > MAX_DEPTH) {
      (errors[path.join(".")] ??= []).push(`Nested more than ${MAX_DEPTH} levels deep.`);
      return;
    }
    if (typeof value === "string") {
      const problem = textProblem(value);
      if (problem) (errors[path.length ? path.join(".") : "_form"] ??= []).push(problem);
      return;
    }
    if (!value || typeof value !== "object" || value instanceof Blob) return;
    for (const [key, inner] of Object.entries(value)) {
      const here = [...path, key.isWellFormed() ? key : key.toWellFormed()];
      const problem = textProblem(key);
      if (problem) (errors[here.join(".")] ??= []).push(`The field name: ${problem}`);
      visit(inner, here, depth + 1);
    }
  };
  visit(input, [], 0);
  return errors;
}

/**
 * Parses input with a zod schema; failure is a 400 with one list of messages per field. Text that no
 * column could hold (NUL, other controls, lone surrogates) is refused first, wherever it sits in the
 * input, so no schema can forget it.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const unstorable = unstorableText(input);
  if (Object.keys(unstorable).length) throw new ValidationError("Some fields need attention.", unstorable);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "_form";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  throw new ValidationError("Some fields need attention.", fieldErrors);
}

/** FormData to a plain object; repeated keys become arrays. */
export function formToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const all = form.getAll(key).map((v) => (typeof v === "string" ? v : v.name));
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}
