import { apiRoute } from "@/lib/http/api-route";
import { requestMlflowSync } from "@/lib/mlflow/request-sync";

/** Starts a sync now (admins); 202 with whether one was already running. */
export const POST = apiRoute(async (ctx) => Response.json(await requestMlflowSync(ctx), { status: 202 }));
