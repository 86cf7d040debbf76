import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject, readQuery } from "@/lib/http/body";
import { createdRequestJson, requestListJson } from "@/lib/requests/api-shape";
import { createRequest } from "@/lib/requests/create-request";
import { readRequestList } from "@/lib/requests/queries";

export const GET = apiRoute(async (ctx, request) => {
  const { rows, total, page, pages } = await readRequestList(ctx, readQuery(request));
  return Response.json({ requests: rows.map(requestListJson), total, page, pages });
});

export const POST = apiRoute(async (ctx, request) => {
  const created = await createRequest(ctx, await readJsonObject(request));
  return Response.json(createdRequestJson(created), { status: 201 });
});
