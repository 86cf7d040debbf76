import "server-only";
import { z } from "zod";
import { PayloadTooLarge, ValidationError } from "../errors";

/** Every JSON body is at most this unless its route says otherwise (a manifest upload does). */
export const DEFAULT_BODY_LIMIT = 1_000_000;

const megabytes = (bytes: number) => `${(bytes / 1_000_000).toLocaleString("en", { maximumFractionDigits: 1 })} MB`;

/**
 * The body as text, refused with a 413 as soon as it passes `limit` bytes: a declared Content-Length
 * over the limit is refused before anything is read, and a body without one (chunked) is read only
 * up to the limit, then the stream is cancelled. Nothing larger is ever buffered.
 */
export async function readBodyText(request: Request, limit = DEFAULT_BODY_LIMIT): Promise<string> {
  const tooLarge = () => new PayloadTooLarge(`The request body is over ${megabytes(limit)}, the limit for this call.`);
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  // Invalid UTF-8 becomes U+FFFD rather than an exception: the schema then judges the text.
  return new TextDecoder("utf-8").decode(bytes);
}

const JsonObject = z.record(z.string(), z.unknown());
const EXPECTED = { _body: ["Expected a JSON object."] };

/**
 * Reads a request body that must be one JSON object, parsed through zod (never type-asserted):
 * anything else is a 400 with a field error, not a 500. Verbs whose fields are all optional may
 * allow an empty body, read as {}.
 */
export async function readJsonObject(
  request: Request,
  options: { allowEmpty?: boolean; limit?: number } = {},
): Promise<Record<string, unknown>> {
  const text = await readBodyText(request, options.limit);
  let body: unknown;
  try {
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
