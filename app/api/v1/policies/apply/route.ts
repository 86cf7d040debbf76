import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { applyPolicies } from "@/lib/policies/apply-policies";

// POST {document, dryRun?, prune?}: the plan (add / change / unchanged / deactivate), applied unless dryRun.
export const POST = apiRoute(async (ctx, request) => {
  return Response.json(await applyPolicies(ctx, await readJsonObject(request)));
});
