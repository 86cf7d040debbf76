import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { receiveAlerts } from "@/lib/monitoring/receive-alerts";

// POST an Alertmanager webhook payload (version 4) or the generic form: 200 with what became of each
// alert (opened, added, repeat, resolved, ignored with the reason). Admins' and ML leads' tokens.
export const POST = apiRoute(async (ctx, request) =>
  Response.json(await receiveAlerts(ctx, await readJsonObject(request))),
);
