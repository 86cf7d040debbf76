import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { connectMlflow } from "@/lib/mlflow/connect";

/** Connects (or updates) the tracking server (admins): {url, token?, clearToken?, databricksHost?}. */
export const PUT = apiRoute(async (ctx, request) =>
  Response.json(await connectMlflow({ ...ctx, signal: request.signal }, await readJsonObject(request))),
);
