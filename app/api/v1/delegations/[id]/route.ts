import { delegationJson } from "@/lib/delegations/api-shape";
import { revokeDelegation } from "@/lib/delegations/revoke-delegation";
import { apiRoute } from "@/lib/http/api-route";

// DELETE ends the delegation now; its delegator, its delegate or an admin may (the verb decides).
export const DELETE = apiRoute<{ id: string }>(async (ctx, _request, { id }) => {
  return Response.json(delegationJson(await revokeDelegation(ctx, { delegationId: id })));
});
