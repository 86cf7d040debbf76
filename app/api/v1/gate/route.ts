import { apiContext } from "@/lib/http/api-auth";
import { route } from "@/lib/http/problem";
import { gate } from "@/lib/requests/gate";

// CI/CD asks: may this model version ship to this environment? 200 allowed, 403 not (with the reason).
export const GET = route(async (request) => {
  const { db } = await apiContext(request);
  const answer = await gate(db, Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(answer, { status: answer.allowed ? 200 : 403, headers: { "cache-control": "no-store" } });
});
