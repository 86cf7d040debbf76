import { NotFound } from "@/lib/errors";
import { apiContext } from "@/lib/http/api-auth";
import { route } from "@/lib/http/problem";
import { getVersion } from "@/lib/models/queries";

export const GET = route<{ name: string; version: string }>(async (request, { params }) => {
  const { db } = await apiContext(request);
  const { name, version } = await params;
  const found = await getVersion(db, name, version);
  if (!found) throw new NotFound(`${name} has no version ${version}.`);
  return Response.json(found);
});
