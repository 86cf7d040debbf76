import "server-only";
import { z } from "zod";
import { ValidationError } from "../errors";

const JsonObject = z.record(z.string(), z.unknown());
const EXPECTED = { _body: ["Expected a JSON object."] };

/**
 * Reads a request body that must be one JSON object, parsed through zod (never type-asserted):
 * anything else is a 400 with a field error, not a 500. Verbs whose fields are all optional may
 * allow an empty body, read as {}.
 */
export async function readJsonObject(
  request: Request,
  options: { allowEmpty?: boolean } = {},
): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    const text = await request.text();
    if (options.allowEmpty && text.trim() === "") return {};
    body = JSON.parse(text);
  } catch {
    throw new ValidationError("The request body must be JSON.", EXPECTED);
  }
  const parsed = JsonObject.safeParse(body);
  if (!parsed.success) throw new ValidationError("The request body must be a JSON object.", EXPECTED);
  return parsed.data;
}

/** The query string as plain strings (the last of a repeated key); the domain's zod schema parses it. */
export function readQuery(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}
