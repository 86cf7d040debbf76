import { readDatasetDiff } from "@/lib/datasets/queries";
import { apiRoute } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/body";

/** `?from=v1&to=v2`: columns added, removed and changed (each with what changed). */
export const GET = apiRoute<{ name: string }>(async (ctx, request, { name }) =>
  Response.json(await readDatasetDiff(ctx, { name, ...readQuery(request) })),
);
