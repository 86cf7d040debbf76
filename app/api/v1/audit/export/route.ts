import { assertRole } from "@/lib/auth/actor";
import { exportAudit } from "@/lib/audit/export";
import { AuditFilters } from "@/lib/audit/queries";
import { apiRoute } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/body";

// GET /api/v1/audit/export?format=csv|json&action=&actor=&entityType=&from=&to= (admins)
export const GET = apiRoute(async ({ db, actor }, request) => {
  assertRole(actor, "admin");
  const params = readQuery(request);
  const format = params.format === "json" ? "json" : "csv";
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(exportAudit(db, AuditFilters.parse(params), format), {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json",
      "content-disposition": `attachment; filename="greenlight-audit-${stamp}.${format}"`,
      "cache-control": "no-store",
    },
  });
});
