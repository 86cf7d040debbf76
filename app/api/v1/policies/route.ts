import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { policyEtag, policyJson } from "@/lib/policies/api-shape";
import { readPolicies } from "@/lib/policies/queries";
import { savePolicy } from "@/lib/policies/save-policy";

// GET: every policy (active or not), by name. POST {name, description?, active?, definition}: version 1.
export const GET = apiRoute(async (ctx) => {
  const { policies } = await readPolicies(ctx);
  return Response.json({ policies: policies.map(policyJson) });
});

export const POST = apiRoute(async (ctx, request) => {
  const body = await readJsonObject(request);
  // A create never names an existing policy: the id and version fields belong to PUT.
  const policy = await savePolicy(ctx, { ...body, id: undefined, expectedVersion: undefined, ifMatch: undefined });
  return Response.json(policyJson(policy), {
    status: 201,
    headers: { etag: policyEtag(policy.version), location: `/api/v1/policies/${policy.id}` },
  });
});
