import { apiRoute } from "@/lib/http/api-route";
import { roleChangeJson } from "@/lib/users/api-shape";
import { revokeRole } from "@/lib/users/revoke-role";
import { readStranded, strandedJson } from "@/lib/requests/stranded";

// DELETE takes the role away; the verb checks the actor is an admin. The answer names the requests
// in flight that nobody left can now complete (the change is made: people do leave).
export const DELETE = apiRoute<{ id: string; role: string }>(async (ctx, _request, { id, role }) => {
  const result = await revokeRole(ctx, { userId: id, role });
  const stranded = result.changed ? await readStranded(ctx, { role: result.role }) : [];
  return Response.json({ ...roleChangeJson(result), stranded: strandedJson(stranded) });
});
