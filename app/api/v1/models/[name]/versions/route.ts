import { NotFound } from "@/lib/errors";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { registeredVersionJson, versionJson } from "@/lib/models/api-shape";
import { getModel } from "@/lib/models/queries";
import { registerVersion } from "@/lib/models/register-version";

export const GET = apiRoute<{ name: string }>(async ({ db }, _request, params) => {
  const model = await getModel(db, params.name);
  if (!model) throw new NotFound("No such model.");
  return Response.json({ model: model.name, versions: model.versions.map(versionJson) });
});

export const POST = apiRoute<{ name: string }>(async (ctx, request, params) => {
  const body = await readJsonObject(request);
  const version = await registerVersion(ctx, { ...body, model: params.name });
  return Response.json(registeredVersionJson(version), { status: 201 });
});
