import { apiRoute } from "@/lib/http/api-route";
import { versionDetailJson } from "@/lib/models/api-shape";
import { readModelVersion } from "@/lib/models/queries";

export const GET = apiRoute<{ name: string; version: string }>(async (ctx, _request, params) => {
  return Response.json(versionDetailJson(await readModelVersion(ctx, params)));
});
