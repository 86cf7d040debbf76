import type { z } from "zod";
import { ValidationError, type FieldErrors } from "./errors";

/** Parses input with a zod schema; failure is a 400 with one list of messages per field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_form";
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
