import { evaluateCashFlows } from "@/lib/cba/analyse";
import { evaluateRequestSchema } from "@/lib/cba/schemas";
import { apiContext } from "@/lib/http/api-auth";
import { readJson, route } from "@/lib/http/problem";
import { parseInput } from "@/lib/validation";

/**
 * The stateless calculator data scientists call from a notebook before filing: raw cash flows
 * (t = 0 first, costs negative) or analysis-style items. Saves nothing.
 */
export const POST = route(async (request) => {
  await apiContext(request);
  const input = parseInput(evaluateRequestSchema, await readJson(request));
  return Response.json(evaluateCashFlows(input));
});
