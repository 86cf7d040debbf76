import "server-only";
import { requireUser, type UserContext } from "../session/guards";
import { getDb } from "../db";
import { getEnv } from "../env";
import { Forbidden, TooManyRequests, Unauthorized, UnsupportedMediaType } from "../errors";
import { clientIp } from "../rate-limit/client-ip";
import { waitInWords } from "../rate-limit/limits";
import { consumeLimit, limitReached } from "../rate-limit/store";
import { actorForToken } from "../tokens/authenticate";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Addresses found not blocked in the last second: a pipeline polling with a good token need not read
 * the failure counter on every call. A failure from the address forgets it at once, so guessing is
 * still counted and refused exactly as before; another process's block applies within a second.
 */
const clearedAddresses = (() => {
  const until = new Map<string, number>();
  return {
    has: (ip: string, now: number) => (until.get(ip) ?? 0) > now,
    add: (ip: string, now: number) => {
      if (until.size >= 10_000) until.clear();
      until.set(ip, now + 1_000);
    },
    forget: (ip: string) => until.delete(ip),
  };
})();

/**
 * The session cookie rides along with any request the browser makes, including one a page on another
 * origin sends (a form post, a text/plain fetch, which needs no preflight). So on /api/v1 the cookie is
 * trusted for a change only when the request comes from Greenlight's own pages and carries JSON;
 * scripts and pipelines use a bearer token, which no browser attaches by itself (docs/adr/0007).
 */
export function assertSameOriginJson(request: Request, appUrl: string): void {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  const site = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  const ours = new Set([new URL(request.url).origin, new URL(appUrl).origin]);
  // Browsers send Sec-Fetch-Site on every request; "same-site" is refused too (a sibling subdomain
  // is another origin). Without it, the Origin header must name this app.
  const sameOrigin =
    site !== null ? site === "same-origin" && (origin === null || ours.has(origin)) : ours.has(origin ?? "");
  if (!sameOrigin) {
    throw new Forbidden(
      "The session is accepted only from Greenlight's own pages. Scripts and other sites use an API token (Authorization: Bearer).",
    );
  }
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json" && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
    throw new UnsupportedMediaType("Send the body as JSON (Content-Type: application/json).");
  }
}

/**
 * Who is calling /api/v1: a bearer token (CI, scripts) or, from the app's own pages, the session.
 * `caller` names the credential ("token:<id>", "user:<id>"): what an Idempotency-Key belongs to.
 */
export async function apiContext(request: Request): Promise<{ ctx: UserContext; caller: string }> {
  const db = await getDb();
  const header = request.headers.get("authorization");
  if (header) {
    // An address that already failed too often is refused before any token work, so guessing costs
    // one read per try and learns nothing, even with a real token.
    const ip = clientIp(request.headers, getEnv().trustProxy);
    const blocked = clearedAddresses.has(ip, Date.now())
      ? { allowed: true as const, retryAfterSeconds: 0 }
      : await limitReached(db, "failedTokensPerIp", ip);
    if (blocked.allowed) clearedAddresses.add(ip, Date.now());
    if (!blocked.allowed) {
      throw new TooManyRequests(
        `Too many failed API token attempts from this address. Try again in ${waitInWords(blocked.retryAfterSeconds)}.`,
        blocked.retryAfterSeconds,
      );
    }
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const found = token ? await actorForToken(db, token) : null;
    if (!found) {
      clearedAddresses.forget(ip);
      await consumeLimit(db, "failedTokensPerIp", ip);
      throw new Unauthorized("The API token is missing, unknown, revoked, or its owner is deactivated.");
    }
    const calls = await consumeLimit(db, "apiPerToken", found.tokenId);
    if (!calls.allowed) {
      throw new TooManyRequests(
        `This API token made too many calls. Try again in ${calls.retryAfterSeconds} seconds.`,
        calls.retryAfterSeconds,
      );
    }
    return { ctx: { db, actor: found.actor }, caller: `token:${found.tokenId}` };
  }
  // Who first (a signed-out caller learns only that they must sign in), then where from.
  const actor = await requireUser();
  assertSameOriginJson(request, getEnv().appUrl);
  return { ctx: { db, actor }, caller: `user:${actor.id}` };
}
