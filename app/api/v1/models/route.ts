import { apiContext } from "@/lib/http/api-auth";
import { readJson, route } from "@/lib/http/problem";
import { createModel } from "@/lib/models/create-model";
import { listModels } from "@/lib/models/queries";

export const GET = route(async (request) => {
  const { db } = await apiContext(request);
  return Response.json({ models: await listModels(db) });
});

export const POST = route(async (request) => {
  const ctx = await apiContext(request);
  const model = await createModel(ctx, await readJson(request));
  return Response.json(model, { status: 201 });
});
