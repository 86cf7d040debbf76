import { NotFound } from "@/lib/errors";
import { apiContext } from "@/lib/http/api-auth";
import { readJson, route } from "@/lib/http/problem";
import { getModel } from "@/lib/models/queries";
import { registerVersion } from "@/lib/models/register-version";

export const GET = route<{ name: string }>(async (request, { params }) => {
  const { db } = await apiContext(request);
  const model = await getModel(db, (await params).name);
  if (!model) throw new NotFound("No such model.");
  return Response.json({ model: model.name, versions: model.versions });
});

export const POST = route<{ name: string }>(async (request, { params }) => {
  const ctx = await apiContext(request);
  const body = (await readJson(request)) as Record<string, unknown>;
  const version = await registerVersion(ctx, { ...body, model: (await params).name });
  return Response.json(version, { status: 201 });
});
