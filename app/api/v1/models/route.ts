import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { createModel } from "@/lib/models/create-model";
import { modelListJson, registeredModelJson } from "@/lib/models/api-shape";
import { readModels } from "@/lib/models/queries";

export const GET = apiRoute(async (ctx) => {
  return Response.json({ models: (await readModels(ctx)).map(modelListJson) });
});

export const POST = apiRoute(async (ctx, request) => {
  const model = await createModel(ctx, await readJsonObject(request));
  return Response.json(registeredModelJson(model), { status: 201 });
});
