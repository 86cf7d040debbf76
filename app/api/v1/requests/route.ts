import { apiContext } from "@/lib/http/api-auth";
import { readJson, route } from "@/lib/http/problem";
import { createRequest } from "@/lib/requests/create-request";
import { listRequests, RequestFilters } from "@/lib/requests/queries";

export const GET = route(async (request) => {
  const { db, actor } = await apiContext(request);
  const filters = RequestFilters.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { rows, total, page, pages } = await listRequests(db, filters, actor.id);
  return Response.json({ requests: rows.map((r) => ({ ...r, number: `CR-${r.number}` })), total, page, pages });
});

export const POST = route(async (request) => {
  const ctx = await apiContext(request);
  const created = await createRequest(ctx, await readJson(request));
  return Response.json(
    { number: `CR-${created.number}`, status: created.status, revision: created.revision },
    { status: 201 },
  );
});
