import { apiRoute } from "@/lib/http/api-route";
import { roleChangeJson } from "@/lib/users/api-shape";
import { revokeRole } from "@/lib/users/revoke-role";

// DELETE takes the role away; the verb checks the actor is an admin.
export const DELETE = apiRoute<{ id: string; role: string }>(async (ctx, _request, { id, role }) => {
  return Response.json(roleChangeJson(await revokeRole(ctx, { userId: id, role })));
});
