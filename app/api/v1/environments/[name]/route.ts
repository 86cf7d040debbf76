import { changeEnvironment } from "@/lib/environments/change-environment";
import { readEnvironment } from "@/lib/environments/queries";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";

/** One environment: what is live there and its deployment history (newest first, bounded). */
export const GET = apiRoute<{ name: string }>(async (ctx, _request, { name }) =>
  Response.json(await readEnvironment(ctx, { name })),
);

/** Changes an environment (admins): any of position, protected, requiresDeployedIn, description, archived. */
export const PATCH = apiRoute<{ name: string }>(async (ctx, request, { name }) =>
  Response.json(await changeEnvironment(ctx, { ...(await readJsonObject(request)), name })),
);
