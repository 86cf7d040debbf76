import { apiRoute } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/body";
import { gate } from "@/lib/requests/gate";

// CI/CD asks: may this model version ship to this environment? 200 allowed, 403 not (with the reason).
export const GET = apiRoute(async ({ db }, request) => {
  const answer = await gate(db, readQuery(request));
  return Response.json(answer, { status: answer.allowed ? 200 : 403, headers: { "cache-control": "no-store" } });
});
