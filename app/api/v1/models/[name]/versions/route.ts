import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { registeredVersionJson, versionJson } from "@/lib/models/api-shape";
import { readModel } from "@/lib/models/queries";
import { registerVersion } from "@/lib/models/register-version";

export const GET = apiRoute<{ name: string }>(async (ctx, _request, { name }) => {
  const model = await readModel(ctx, { name });
  // The newest VERSION_LIST_LIMIT (200) versions; `total` says how many there are.
  return Response.json({
    model: model.name,
    versions: model.versions.map(versionJson),
    total: model.versionCount,
    truncated: model.versionCount > model.versions.length,
  });
});

export const POST = apiRoute<{ name: string }>(async (ctx, request, { name }) => {
  const body = await readJsonObject(request);
  const version = await registerVersion(ctx, { ...body, model: name });
  return Response.json(registeredVersionJson(version), { status: 201 });
});
