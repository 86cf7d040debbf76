import { requireUser } from "@/lib/auth/guards";
import { getDb } from "@/lib/db";
import { readJson, route } from "@/lib/http/problem";
import { grantRole } from "@/lib/users/grant-role";

// POST {"role": "..."} grants a role; the verb checks the actor is an admin.
export const POST = route<{ id: string }>(async (request, { params }) => {
  const actor = await requireUser();
  const body = (await readJson(request)) as Record<string, unknown>;
  const { changed } = await grantRole({ db: await getDb(), actor }, { ...body, userId: (await params).id });
  return Response.json({ changed }, { status: changed ? 201 : 200 });
});
