import { assertRole } from "@/lib/auth/actor";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { createUser } from "@/lib/users/create-user";
import { createdUserJson, userJson } from "@/lib/users/api-shape";
import { listUsers } from "@/lib/users/queries";

export const GET = apiRoute(async ({ db, actor }) => {
  assertRole(actor, "admin");
  return Response.json({ users: (await listUsers(db)).map(userJson) });
});

export const POST = apiRoute(async (ctx, request) => {
  assertRole(ctx.actor, "admin");
  const user = await createUser(ctx, await readJsonObject(request));
  return Response.json(createdUserJson(user), { status: 201 });
});
