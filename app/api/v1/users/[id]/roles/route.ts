import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { roleChangeJson } from "@/lib/users/api-shape";
import { grantRole } from "@/lib/users/grant-role";

// POST {"role": "..."} grants a role; the verb checks the actor is an admin.
export const POST = apiRoute<{ id: string }>(async (ctx, request, { id }) => {
  const body = await readJsonObject(request);
  const result = await grantRole(ctx, { ...body, userId: id });
  return Response.json(roleChangeJson(result), { status: result.changed ? 201 : 200 });
});
