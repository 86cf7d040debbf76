import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { pickMlflowModel } from "@/lib/mlflow/pick-model";

/** Picks a registered model for import (admins): {mlflowName, teamId, name?}. */
export const POST = apiRoute(async (ctx, request) =>
  Response.json(await pickMlflowModel({ ...ctx, signal: request.signal }, await readJsonObject(request)), {
    status: 201,
  }),
);
