import "server-only";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { ValidationError } from "../errors";
import { loadSigningKey } from "../signing/key-file";
import { exportAudit, exportAuditChain } from "./export";
import { mayReadAudit } from "./permissions";
import { parseInput } from "../validation";
import { AuditExportFilters, AuditFilters } from "./queries";

/**
 * The audit log for admins: filtered CSV (the default) or JSON, or the whole chain as the verifiable
 * JSON Lines export (format=jsonl), which carries the checkpoints and the public key.
 */
export function readAuditExport(ctx: UserContext, query: Record<string, string | undefined>) {
  permit(mayReadAudit(ctx.actor), "This needs the admin role.");
  if (query.format === "jsonl") {
    const filtered = Object.entries(parseInput(AuditFilters, query)).filter(([, v]) => v !== undefined);
    if (filtered.length) {
      throw new ValidationError("The verifiable export is always the whole chain: remove the filters.", {
        [filtered[0]![0]]: ["Not with format=jsonl."],
      });
    }
    return { format: "jsonl" as const, stream: exportAuditChain(ctx.db, loadSigningKey()) };
  }
  const format = query.format === "json" ? ("json" as const) : ("csv" as const);
  return { format, stream: exportAudit(ctx.db, parseInput(AuditExportFilters, query), format) };
}
