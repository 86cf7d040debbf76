import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { rollbackJson } from "@/lib/requests/api-shape";
import { rollBack } from "@/lib/requests/roll-back";

// Rollback belongs to the environment, not to one request: what is live there goes back one step.
export const POST = apiRoute<{ name: string; environment: string }>(async (ctx, request, { name, environment }) => {
  const body = await readJsonObject(request);
  return Response.json(rollbackJson(await rollBack(ctx, { ...body, model: name, environment })));
});
