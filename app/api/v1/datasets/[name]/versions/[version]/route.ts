import { datasetVersionJson } from "@/lib/datasets/api-shape";
import { readDatasetVersion } from "@/lib/datasets/queries";
import { apiRoute } from "@/lib/http/api-route";

export const GET = apiRoute<{ name: string; version: string }>(async (ctx, _request, { name, version }) =>
  Response.json(datasetVersionJson(await readDatasetVersion(ctx, { name, version }))),
);
