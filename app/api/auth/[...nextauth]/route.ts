import type { NextRequest } from "next/server";
import { handlers } from "@/lib/session/config";

export const { GET } = handlers;

/**
 * Email links are asked for only through the sign-in form (app/sign-in/actions.ts), where the rate
 * limits hold and a known address gets the same answer as an unknown one. Auth.js's own endpoint
 * for it would skip both, so it sends the browser to the form; the form's action calls Auth.js in
 * process, not through this route. Everything else (the link's callback, OIDC, sign-out) passes.
 */
export async function POST(request: NextRequest): Promise<Response> {
  if (new URL(request.url).pathname.endsWith("/signin/email")) {
    return Response.redirect(new URL("/sign-in", request.url), 303);
  }
  return handlers.POST(request);
}
