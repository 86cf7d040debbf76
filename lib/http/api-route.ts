import "server-only";
import type { UserContext } from "../session/guards";
import { apiContext } from "./api-auth";
import { withIdempotency } from "./idempotency";
import { routeTemplate } from "../metrics/exposition";
import { apiLatency } from "../metrics/request-latency";
import { errorResponse } from "./problem";

type RouteContext<P> = { params: Promise<P> };

/**
 * The one entry of every /api/v1 handler: the caller is authenticated first (a bearer token, or the
 * browser's session), then the handler runs with { db, actor } and the route's params; any error it
 * throws becomes application/problem+json through lib/http/problem.ts. A POST or PATCH with an
 * Idempotency-Key runs once per key and caller, a retry getting the first answer (lib/http/idempotency.ts).
 */
export function apiRoute<P = Record<string, string>>(
  handler: (ctx: UserContext, request: Request, params: P) => Promise<Response>,
) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    const started = performance.now();
    let response: Response;
    try {
      const { ctx, caller } = await apiContext(request);
      const params = await context.params;
      response = await withIdempotency(ctx, caller, request, (keyed) => handler(keyed, request, params));
    } catch (error) {
      response = errorResponse(error);
    }
    // Refused and failed calls count too: a slow 401 or a burst of 500s is what monitoring is for.
    const params = (await Promise.resolve(context?.params).catch(() => undefined)) as
      Record<string, string> | undefined;
    apiLatency().observe(
      {
        method: request.method,
        route: routeTemplate(new URL(request.url).pathname, params),
        status: String(response.status),
      },
      (performance.now() - started) / 1000,
    );
    return response;
  };
}
