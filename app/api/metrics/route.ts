import { connection } from "next/server";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { collectMetrics } from "@/lib/metrics/collect";
import { CONTENT_TYPE, render } from "@/lib/metrics/exposition";
import { metricsAccess } from "@/lib/metrics/access";

// Prometheus scrapes this (docs/production.md, Monitoring). Off (404) unless METRICS_TOKEN is set;
// then only `Authorization: Bearer <METRICS_TOKEN>` reads it (ADR 0015).
export async function GET(request: Request) {
  await connection();
  const access = metricsAccess(getEnv().metricsToken, request.headers.get("authorization"));
  if (access !== "ok") {
    return new Response(access === "off" ? "Not found\n" : "Unauthorized\n", {
      status: access === "off" ? 404 : 401,
      headers: {
        "content-type": "text/plain; charset=utf-8",
        ...(access === "refused" ? { "www-authenticate": 'Bearer realm="greenlight-metrics"' } : {}),
      },
    });
  }
  // An unreachable database is a figure to report (greenlight_database_up 0), not a failed scrape.
  const db = await getDb().catch(() => null);
  const body = render(await collectMetrics(db));
  return new Response(body, { headers: { "content-type": CONTENT_TYPE, "cache-control": "no-store" } });
}
