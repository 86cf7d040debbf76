import { permit } from "@/lib/auth/permit";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { createUser } from "@/lib/users/create-user";
import { createdUserJson, userJson } from "@/lib/users/api-shape";
import { mayAdminister } from "@/lib/users/permissions";
import { readUsers } from "@/lib/users/queries";

export const GET = apiRoute(async (ctx) => {
  return Response.json({ users: (await readUsers(ctx)).map(userJson) });
});

export const POST = apiRoute(async (ctx, request) => {
  // The verb decides; asking its rule before reading the body keeps a non-admin's answer a 403, whatever they send.
  permit(mayAdminister(ctx.actor), "This needs the admin role.");
  const user = await createUser(ctx, await readJsonObject(request));
  return Response.json(createdUserJson(user), { status: 201 });
});
