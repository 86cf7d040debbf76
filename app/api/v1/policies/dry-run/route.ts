import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { readPolicyDryRun } from "@/lib/policies/dry-run-history";

// POST {days?, document? | policies?, prune?}: which recent requests would have had a different chain.
export const POST = apiRoute(async (ctx, request) => {
  return Response.json(await readPolicyDryRun(ctx, await readJsonObject(request)));
});
