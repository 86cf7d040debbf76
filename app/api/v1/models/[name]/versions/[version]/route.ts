import { NotFound } from "@/lib/errors";
import { apiRoute } from "@/lib/http/api-route";
import { versionDetailJson } from "@/lib/models/api-shape";
import { getVersion } from "@/lib/models/queries";

export const GET = apiRoute<{ name: string; version: string }>(async ({ db }, _request, { name, version }) => {
  const found = await getVersion(db, name, version);
  if (!found) throw new NotFound(`${name} has no version ${version}.`);
  return Response.json(versionDetailJson(found));
});
