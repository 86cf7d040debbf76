import { requireUser } from "@/lib/auth/guards";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/problem";
import { revokeRole } from "@/lib/users/revoke-role";

export const DELETE = route<{ id: string; role: string }>(async (_request, { params }) => {
  const actor = await requireUser();
  const { id, role } = await params;
  const { changed } = await revokeRole({ db: await getDb(), actor }, { userId: id, role });
  return Response.json({ changed });
});
