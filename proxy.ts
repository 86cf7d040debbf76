import { NextResponse, type NextRequest } from "next/server";
import { getEnv } from "@/lib/env";
import { contentSecurityPolicy, newNonce, securityHeaders } from "@/lib/http/security-headers";

// Every response gets the security headers; pages get a Content-Security-Policy with a fresh nonce,
// which Next reads from the request's own CSP header and puts on its scripts (the root layout also
// hands it to the few libraries that add style elements). API answers carry private data: never cached.
export function proxy(request: NextRequest) {
  const env = getEnv();
  const https = env.appUrl.startsWith("https://") || request.nextUrl.protocol === "https:";
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, { dev: env.nodeEnv === "development", https });
  const forwarded = new Headers(request.headers);
  forwarded.set("x-nonce", nonce);
  forwarded.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: forwarded } });
  response.headers.set("content-security-policy", csp);
  for (const [name, value] of Object.entries(securityHeaders({ https }))) response.headers.set(name, value);
  if (request.nextUrl.pathname.startsWith("/api/")) response.headers.set("cache-control", "no-store");
  return response;
}

export const config = {
  // Not for built assets: they carry no data, and their own immutable caching must stay.
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
