import { readAuditExport } from "@/lib/audit/read-export";
import { apiRoute } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/body";

// GET /api/v1/audit/export?format=csv|json&action=&actor=&entityType=&from=&to= (admins)
// GET /api/v1/audit/export?format=jsonl: the whole chain with its checkpoints, verifiable offline
const CONTENT_TYPES = {
  csv: "text/csv; charset=utf-8",
  json: "application/json",
  jsonl: "application/jsonl; charset=utf-8",
} as const;

export const GET = apiRoute(async (ctx, request) => {
  const { format, stream } = readAuditExport(ctx, readQuery(request));
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "content-type": CONTENT_TYPES[format],
      "content-disposition": `attachment; filename="greenlight-audit-${stamp}.${format}"`,
      "cache-control": "no-store",
    },
  });
});
