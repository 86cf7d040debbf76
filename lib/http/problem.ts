import "server-only";
import { isAppError, ValidationError, type FieldErrors } from "../errors";

// The ONE place errors become HTTP: application/problem+json (RFC 9457), never a stack trace.
const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

export function problem(status: number, detail: string, extra: { code?: string; errors?: FieldErrors } = {}): Response {
  return Response.json(
    { type: "about:blank", title: TITLES[status] ?? "Error", status, detail, ...extra },
    { status, headers: { "content-type": "application/problem+json", "cache-control": "no-store" } },
  );
}

export function errorResponse(error: unknown): Response {
  if (isAppError(error)) return problem(error.status, error.message, { code: error.code, errors: error.fieldErrors });
  console.error("[api] unexpected error:", error);
  return problem(500, "Something went wrong on our side. It has been logged.");
}

type RouteContext<P> = { params: Promise<P> };

/** Wraps a route handler: any thrown error becomes a problem response. */
export function route<P = Record<string, string>>(
  handler: (request: Request, context: RouteContext<P>) => Promise<Response>,
) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      return await handler(request, context);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** Reads a JSON body; anything that is not a JSON object is a 400, not a 500. */
export async function readJson(request: Request, options: { allowEmpty?: boolean } = {}): Promise<unknown> {
  let body: unknown;
  try {
    const text = await request.text();
    // Verbs whose fields are all optional may be called with no body at all.
    if (options.allowEmpty && text.trim() === "") return {};
    body = JSON.parse(text);
  } catch {
    throw new ValidationError("The request body must be JSON.", { _body: ["Expected a JSON object."] });
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new ValidationError("The request body must be a JSON object.", { _body: ["Expected a JSON object."] });
  }
  return body;
}
