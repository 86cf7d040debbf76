import { defineEnvironment } from "@/lib/environments/define-environment";
import { readEnvironments } from "@/lib/environments/queries";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";

/** Every environment in promotion order (archived ones last, flagged), with how many models are live in each. */
export const GET = apiRoute(async (ctx) => {
  const { environments } = await readEnvironments(ctx);
  return Response.json({ environments });
});

/** Adds an environment (admins): {name, position, protected?, requiresDeployedIn?, description?}. */
export const POST = apiRoute(async (ctx, request) =>
  Response.json(await defineEnvironment(ctx, await readJsonObject(request)), { status: 201 }),
);
