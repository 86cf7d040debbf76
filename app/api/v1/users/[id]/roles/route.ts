import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { grantRole } from "@/lib/users/grant-role";

// POST {"role": "..."} grants a role; the verb checks the actor is an admin.
export const POST = apiRoute<{ id: string }>(async (ctx, request, { id }) => {
  const body = await readJsonObject(request);
  const { changed } = await grantRole(ctx, { ...body, userId: id });
  return Response.json({ changed }, { status: changed ? 201 : 200 });
});
