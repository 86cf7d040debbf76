import { createHash, timingSafeEqual } from "node:crypto";

/** Whether a scrape may read the metrics: off without a configured token, else the bearer must match. */
export function metricsAccess(token: string | undefined, authorization: string | null): "off" | "refused" | "ok" {
  if (!token) return "off";
  const sent = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
  if (!sent) return "refused";
  // Compared as digests: equal length for timingSafeEqual, and no timing hint about the token.
  const digest = (v: string) => createHash("sha256").update(v).digest();
  return timingSafeEqual(digest(sent), digest(token)) ? "ok" : "refused";
}
