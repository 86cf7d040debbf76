import "server-only";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { exportAudit } from "./export";
import { mayReadAudit } from "./permissions";
import { AuditFilters } from "./queries";

/** The filtered audit log as a CSV (the default) or JSON stream, for admins. */
export function readAuditExport(ctx: UserContext, query: Record<string, string | undefined>) {
  permit(mayReadAudit(ctx.actor), "This needs the admin role.");
  const format = query.format === "json" ? ("json" as const) : ("csv" as const);
  return { format, stream: exportAudit(ctx.db, AuditFilters.parse(query), format) };
}
