import "server-only";
import { badInputError, isAppError, isBadInputForDatabase, TooManyRequests, type FieldErrors } from "../errors";
import { logError } from "../log";

// The ONE place errors become HTTP: application/problem+json (RFC 9457), never a stack trace.
const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  499: "Client Closed Request",
  500: "Internal Server Error",
};

export function problem(
  status: number,
  detail: string,
  extra: { code?: string; errors?: FieldErrors } = {},
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    { type: "about:blank", title: TITLES[status] ?? "Error", status, detail, ...extra },
    { status, headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...headers } },
  );
}

export function errorResponse(error: unknown): Response {
  if (error instanceof TooManyRequests) {
    // Retry-After in seconds (RFC 9110 §10.2.3): clients and CI retry helpers wait that long by themselves.
    return problem(
      error.status,
      error.message,
      { code: error.code },
      { "retry-after": String(error.retryAfterSeconds) },
    );
  }
  if (isAppError(error)) return problem(error.status, error.message, { code: error.code, errors: error.fieldErrors });
  if (isBadInputForDatabase(error)) {
    // Logged all the same: the schema that should have refused this value needs a fix.
    logError("[api] bad input reached the database:", error);
    const bad = badInputError();
    return problem(bad.status, bad.message, { code: bad.code, errors: bad.fieldErrors });
  }
  logError("[api] unexpected error:", error);
  return problem(500, "Something went wrong on our side. It has been logged.");
}
