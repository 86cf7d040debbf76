import { readTableSchema } from "@/lib/datasets/queries";
import { apiRoute } from "@/lib/http/api-route";

/** The version as a Frictionless Table Schema descriptor (Greenlight's own column facts as "greenlight:" properties). */
export const GET = apiRoute<{ name: string; version: string }>(async (ctx, _request, { name, version }) =>
  Response.json(await readTableSchema(ctx, { name, version }), {
    headers: { "content-disposition": `attachment; filename="${name}-${version}.schema.json"` },
  }),
);
