import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { ifMatchVersions } from "@/lib/http/conditional";
import { policyEtag, policyJson, policyVersionJson } from "@/lib/policies/api-shape";
import { readPolicy } from "@/lib/policies/queries";
import { deactivatePolicy, savePolicy } from "@/lib/policies/save-policy";

type Params = { id: string };

// GET: the policy and its versions (newest first); its ETag is the current version.
export const GET = apiRoute<Params>(async (ctx, _request, { id }) => {
  const { policy, versions } = await readPolicy(ctx, { id });
  return Response.json(
    { ...policyJson(policy), versions: versions.map(policyVersionJson) },
    { headers: { etag: policyEtag(policy.version) } },
  );
});

// PUT {name, description?, active?, definition}: a new version. If-Match: "<version>" refuses a stale write (412).
export const PUT = apiRoute<Params>(async (ctx, request, { id }) => {
  const body = await readJsonObject(request);
  const policy = await savePolicy(ctx, { ...body, id, expectedVersion: undefined, ifMatch: ifMatchVersions(request) });
  return Response.json(policyJson(policy), { headers: { etag: policyEtag(policy.version) } });
});

// DELETE: deactivates (a new, inactive version); versions and the audit trail stay.
export const DELETE = apiRoute<Params>(async (ctx, request, { id }) => {
  const { policy } = await deactivatePolicy(ctx, { id, ifMatch: ifMatchVersions(request) });
  return Response.json(policyJson(policy), { headers: { etag: policyEtag(policy.version) } });
});
