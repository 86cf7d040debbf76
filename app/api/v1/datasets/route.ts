import { createDataset } from "@/lib/datasets/create-dataset";
import { createdDatasetJson, datasetListJson } from "@/lib/datasets/api-shape";
import { readDatasets } from "@/lib/datasets/queries";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject, readQuery } from "@/lib/http/body";

/** The dictionary, by name: at most 500 datasets; `?q=` searches names, descriptions and columns. */
export const GET = apiRoute(async (ctx, request) => {
  const { datasets, truncated } = await readDatasets(ctx, readQuery(request));
  return Response.json({ datasets: datasets.map(datasetListJson), truncated });
});

export const POST = apiRoute(async (ctx, request) => {
  const dataset = await createDataset(ctx, await readJsonObject(request));
  return Response.json(createdDatasetJson(dataset), { status: 201 });
});
