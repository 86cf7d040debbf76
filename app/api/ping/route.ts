// Liveness: the process answers HTTP (no database). /api/health is the readiness check.
export function GET() {
  return new Response("ok", { headers: { "content-type": "text/plain", "cache-control": "no-store" } });
}
