import "server-only";
import { and, desc, eq, gte, ilike, lt, lte, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { auditEvents } from "@/db/schema";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { boundedInt, calendarDate, parseInput } from "../validation";
import { mayReadAudit } from "./permissions";

const day = calendarDate().optional().catch(undefined);
export const AuditFilters = z.object({
  entityType: z.string().trim().max(60).optional().catch(undefined),
  entityId: z.string().trim().max(200).optional().catch(undefined),
  actor: z.string().trim().max(200).optional().catch(undefined),
  action: z.string().trim().max(60).optional().catch(undefined),
  from: day,
  to: day,
  before: boundedInt({ min: 1, max: Number.MAX_SAFE_INTEGER, label: "before" }).optional().catch(undefined),
});

/**
 * The export's filters: the page's, but a date that is no real date (2031-02-30, year 0) is a 400 at
 * its field rather than ignored, so a download never silently covers more than was asked.
 */
export const AuditExportFilters = AuditFilters.extend({
  from: calendarDate("A real date like 2026-11-01 (YYYY-MM-DD).").optional(),
  to: calendarDate("A real date like 2026-11-01 (YYYY-MM-DD).").optional(),
});
export type AuditFilters = z.infer<typeof AuditFilters>;

const AUDIT_PAGE_SIZE = 50;

/** Newest first, filtered; pages by sequence number (fast at millions of rows, stable while new events arrive). */
export async function listAuditEvents(db: Db, filters: AuditFilters, limit = AUDIT_PAGE_SIZE) {
  const where: SQL[] = [];
  if (filters.entityType) where.push(eq(auditEvents.entityType, filters.entityType));
  if (filters.entityId) where.push(eq(auditEvents.entityId, filters.entityId));
  if (filters.actor) where.push(ilike(auditEvents.actorEmail, `%${filters.actor.replace(/[%_\\]/g, "\\$&")}%`));
  if (filters.action) where.push(eq(auditEvents.action, filters.action));
  if (filters.from) where.push(gte(auditEvents.occurredAt, new Date(`${filters.from}T00:00:00Z`)));
  if (filters.to) where.push(lte(auditEvents.occurredAt, new Date(`${filters.to}T23:59:59.999Z`)));
  if (filters.before) where.push(lt(auditEvents.seq, filters.before));
  const rows = await db
    .select()
    .from(auditEvents)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditEvents.seq))
    .limit(limit + 1);
  return { events: rows.slice(0, limit), nextBefore: rows.length > limit ? rows[limit - 1]!.seq : null };
}

/** One page of the audit log for admins, filtered from the query string (anything unreadable is ignored). */
export async function readAuditLog(ctx: UserContext, query: unknown) {
  permit(mayReadAudit(ctx.actor), "This needs the admin role.");
  const filters = parseInput(AuditFilters, query);
  return { filters, ...(await listAuditEvents(ctx.db, filters)) };
}
