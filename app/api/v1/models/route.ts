import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { createModel } from "@/lib/models/create-model";
import { modelListJson, registeredModelJson } from "@/lib/models/api-shape";
import { readModels } from "@/lib/models/queries";

/** The registry, by name: at most MODEL_LIST_LIMIT (500) models, with `total` saying how many there are. */
export const GET = apiRoute(async (ctx) => {
  const { models, total } = await readModels(ctx);
  return Response.json({ models: models.map(modelListJson), total, truncated: total > models.length });
});

export const POST = apiRoute(async (ctx, request) => {
  const model = await createModel(ctx, await readJsonObject(request));
  return Response.json(registeredModelJson(model), { status: 201 });
});
