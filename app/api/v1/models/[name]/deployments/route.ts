import { apiRoute } from "@/lib/http/api-route";
import { modelDeploymentsJson } from "@/lib/requests/api-shape";
import { readModelDeployments } from "@/lib/requests/deployments";

export const GET = apiRoute<{ name: string }>(async (ctx, _request, { name }) =>
  Response.json(modelDeploymentsJson(await readModelDeployments(ctx, { name }))),
);
