import { createDatasetVersion } from "@/lib/datasets/create-version";
import { createdVersionJson, datasetJson } from "@/lib/datasets/api-shape";
import { readDataset } from "@/lib/datasets/queries";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";

export const GET = apiRoute<{ name: string }>(async (ctx, _request, { name }) => {
  const { dataset } = await readDataset(ctx, { name });
  const { versions, totalVersions } = datasetJson(dataset);
  return Response.json({
    dataset: dataset.name,
    versions,
    total: totalVersions,
    truncated: totalVersions > versions.length,
  });
});

/** A new version from a Frictionless Table Schema: `{ version, note?, tableSchema }`, at most 1 MB. */
export const POST = apiRoute<{ name: string }>(async (ctx, request, { name }) => {
  const body = await readJsonObject(request);
  const { version, dataset, affected } = await createDatasetVersion(ctx, { ...body, dataset: name });
  return Response.json(createdVersionJson(version, dataset, affected), { status: 201 });
});
