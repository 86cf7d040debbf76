import { requireRole } from "@/lib/auth/guards";
import { getDb } from "@/lib/db";
import { readJson, route } from "@/lib/http/problem";
import { createUser } from "@/lib/users/create-user";
import { listUsers } from "@/lib/users/queries";

export const GET = route(async () => {
  await requireRole("admin");
  const users = await listUsers(await getDb());
  return Response.json({ users });
});

export const POST = route(async (request) => {
  const actor = await requireRole("admin");
  const user = await createUser({ db: await getDb(), actor }, await readJson(request));
  return Response.json(user, { status: 201 });
});
