import { evaluateCashFlows } from "@/lib/cba/analyse";
import { evaluateRequestSchema } from "@/lib/cba/schemas";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { parseInput } from "@/lib/validation";

/**
 * The stateless calculator data scientists call from a notebook before filing: raw cash flows
 * (t = 0 first, costs negative) or analysis-style items. Saves nothing.
 */
export const POST = apiRoute(async (_ctx, request) => {
  const input = parseInput(evaluateRequestSchema, await readJsonObject(request));
  return Response.json(evaluateCashFlows(input));
});
