import { assertRole } from "@/lib/auth/actor";
import { exportAudit } from "@/lib/audit/export";
import { AuditFilters } from "@/lib/audit/queries";
import { apiContext } from "@/lib/http/api-auth";
import { route } from "@/lib/http/problem";

// GET /api/v1/audit/export?format=csv|json&action=&actor=&entityType=&from=&to= (admins)
export const GET = route(async (request) => {
  const { db, actor } = await apiContext(request);
  assertRole(actor, "admin");
  const params = Object.fromEntries(new URL(request.url).searchParams);
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
