import { apiRoute } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/body";
import { insightResponse } from "@/lib/insights/api";

// GET /api/v1/insights/sla?from=&to=&team=&kind=&environment=[&format=csv] (managers: their teams; ML leads, admins)
export const GET = apiRoute(async (ctx, request) => insightResponse(ctx, "sla", readQuery(request)));
