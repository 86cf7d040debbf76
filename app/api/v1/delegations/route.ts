import { delegationJson, delegationListJson } from "@/lib/delegations/api-shape";
import { createDelegation } from "@/lib/delegations/create-delegation";
import { readDelegations } from "@/lib/delegations/queries";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject, readQuery } from "@/lib/http/body";

// GET: the caller's delegations, given and received (an admin may name anyone with ?user=<id or email>).
export const GET = apiRoute(async (ctx, request) => {
  return Response.json(delegationListJson(await readDelegations(ctx, readQuery(request))));
});

// POST {"to": email, "startsAt", "endsAt", "role"?, "teamId"?, "reason"?}: delegate one's approvals.
export const POST = apiRoute(async (ctx, request) => {
  const delegation = await createDelegation(ctx, await readJsonObject(request));
  return Response.json(delegationJson(delegation), { status: 201 });
});
