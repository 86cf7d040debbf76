import "server-only";
import { createHash } from "node:crypto";
import {
  claimKey,
  markCommitted,
  releaseClaim,
  storeAnswer,
  type Claim,
  type StoredAnswer,
} from "../idempotency/store";
import { logError } from "../log";
import type { UserContext } from "../session/guards";
import { errorResponse, problem } from "./problem";

// POST and PATCH are the methods that are not idempotent by themselves (RFC 9110); PUT and DELETE are.
const KEYED_METHODS = new Set(["POST", "PATCH"]);
export const MAX_KEY_LENGTH = 255;
/** Answers larger than this are not kept: the key is then released when nothing was committed. */
export const MAX_STORED_BODY_BYTES = 1024 * 1024;
/** The response headers a replay needs; the rest (dates, cache) are the replay's own. */
const KEPT_HEADERS = ["content-type", "location"];
export const REPLAYED_HEADER = "idempotency-replayed";

const PRINTABLE = /^[\x20-\x7e]+$/;
const BARE = /^[\x21-\x7e]+$/;

/**
 * The Idempotency-Key header's value: null when absent, a string, or "malformed". The draft makes it
 * a structured-field String ("..." with \" and \\ escapes, RFC 8941 3.3.3); a bare value without
 * quotes, spaces or commas (a UUID as most clients send it) is taken as it is. Two keys in one request
 * arrive joined by a comma and are malformed.
 */
export function parseIdempotencyKey(header: string | null): string | null | "malformed" {
  if (header === null) return null;
  const value = header.trim();
  let key: string;
  if (value.startsWith('"')) {
    const match = /^"((?:[\x20-\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/.exec(value);
    if (!match) return "malformed";
    key = match[1]!.replace(/\\(["\\])/g, "$1");
  } else {
    if (!BARE.test(value) || /[",;\\]/.test(value)) return "malformed";
    key = value;
  }
  return key.length >= 1 && key.length <= MAX_KEY_LENGTH && PRINTABLE.test(key) ? key : "malformed";
}

/**
 * Runs `run` at most once per Idempotency-Key of this caller (draft-ietf-httpapi-idempotency-key-header,
 * docs/adr/0010): the first request claims the key; its verb marks the claim in the verb's own
 * transaction (`joinCommit`), so the change and the claim commit together; its answer is then stored,
 * and a retry with the same method, path and body gets it back. The same key with another request is
 * a 422; while the first is still running, a 409 with Retry-After. A 5xx or a thrown error releases
 * the key when nothing was committed, so a retry runs again; a 4xx is the answer and is kept.
 */
export async function withIdempotency(
  ctx: UserContext,
  caller: string,
  request: Request,
  run: (ctx: UserContext) => Promise<Response>,
): Promise<Response> {
  if (!KEYED_METHODS.has(request.method.toUpperCase())) return run(ctx);
  const key = parseIdempotencyKey(request.headers.get("idempotency-key"));
  if (key === null) return run(ctx);
  if (key === "malformed") {
    const message = `Send one key of 1 to ${MAX_KEY_LENGTH} printable ASCII characters, e.g. a UUID: Idempotency-Key: "8e03978e-40d5-43e8-bc93-6894a57f9324".`;
    return problem(400, `The Idempotency-Key header is malformed. ${message}`, {
      code: "idempotency_key_malformed",
      errors: { "Idempotency-Key": [message] },
    });
  }
  const url = new URL(request.url);
  const body = await request.clone().text();
  const fingerprint = {
    method: request.method.toUpperCase(),
    path: url.pathname + url.search,
    bodySha256: createHash("sha256").update(body).digest("hex"),
  };
  const outcome = await claimKey(ctx.db, { scope: caller, key, fingerprint }, ctx.now ?? new Date());
  switch (outcome.kind) {
    case "replay":
      return replay(outcome.answer);
    case "mismatch":
      return problem(
        422,
        "This Idempotency-Key was already used with another request (method, path or body). Use a new key for a new request.",
        { code: "idempotency_key_reused" },
      );
    case "in_progress": {
      const busy = problem(
        409,
        "A request with this Idempotency-Key is still being processed. Retry after a moment to get its answer.",
        { code: "idempotency_key_in_progress" },
      );
      busy.headers.set("retry-after", String(outcome.retryAfterSeconds));
      return busy;
    }
    case "answer_lost":
      return problem(
        409,
        "The request with this Idempotency-Key was applied, but its answer could not be kept. Read the resource to see the outcome; do not send it again with a new key.",
        { code: "idempotency_answer_lost" },
      );
    case "claimed":
      return settle(ctx, outcome.claim, await runClaimed(ctx, outcome.claim, run));
  }
}

async function runClaimed(ctx: UserContext, claim: Claim, run: (ctx: UserContext) => Promise<Response>) {
  try {
    return await run({ ...ctx, joinCommit: (tx) => markCommitted(tx, claim) });
  } catch (error) {
    return errorResponse(error);
  }
}

/**
 * Keeps the answer for a retry, or releases the key. The answer goes back to the client whatever
 * happens here: a failure to store it leaves the claim, which a retry reads as in progress and then
 * (past its lease) as taken over when nothing committed, or as an answer lost when the change did.
 */
async function settle(ctx: UserContext, claim: Claim, response: Response): Promise<Response> {
  try {
    // A cancelled call (499) committed nothing: its key stays free for the retry, like a 5xx.
    const body = response.status >= 500 || response.status === 499 ? null : await response.clone().text();
    if (body === null || Buffer.byteLength(body) > MAX_STORED_BODY_BYTES) {
      await releaseClaim(ctx.db, claim);
      return response;
    }
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    await storeAnswer(ctx.db, claim, { status: response.status, headers, body });
  } catch (error) {
    logError("[api] could not settle an Idempotency-Key:", error);
  }
  return response;
}

function replay(answer: StoredAnswer): Response {
  // 204 and 304 carry no body: a stored "" must go back as none.
  const body = answer.body === "" ? null : answer.body;
  return new Response(body, {
    status: answer.status,
    headers: { ...answer.headers, "cache-control": "no-store", [REPLAYED_HEADER]: "true" },
  });
}
