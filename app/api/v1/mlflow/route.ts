import { apiRoute } from "@/lib/http/api-route";
import { mlflowStatusJson } from "@/lib/mlflow/api-shape";
import { readMlflowAdmin } from "@/lib/mlflow/queries";

/** The MLflow connection (token as set / not set), picked models, sync progress and write-backs (admins). */
export const GET = apiRoute(async (ctx) => Response.json(mlflowStatusJson(await readMlflowAdmin(ctx))));
