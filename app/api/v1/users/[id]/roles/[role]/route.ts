import { apiRoute } from "@/lib/http/api-route";
import { revokeRole } from "@/lib/users/revoke-role";

// DELETE takes the role away; the verb checks the actor is an admin.
export const DELETE = apiRoute<{ id: string; role: string }>(async (ctx, _request, { id, role }) => {
  const { changed } = await revokeRole(ctx, { userId: id, role });
  return Response.json({ changed });
});
