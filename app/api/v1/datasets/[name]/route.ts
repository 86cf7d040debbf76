import { datasetJson } from "@/lib/datasets/api-shape";
import { readDataset } from "@/lib/datasets/queries";
import { apiRoute } from "@/lib/http/api-route";

export const GET = apiRoute<{ name: string }>(async (ctx, _request, { name }) => {
  const { dataset } = await readDataset(ctx, { name });
  return Response.json(datasetJson(dataset));
});
