import "server-only";
import { and, desc, eq, gte, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { NOTIFICATION_STATUSES, notifications } from "@/db/schema";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { mayAdminister } from "../users/permissions";
import { MAX_ATTEMPTS } from "./deliver";
import { parseInput } from "../validation";

export async function listOutbox(db: Db, limit = 100) {
  return db
    .select({
      id: notifications.id,
      recipientEmail: notifications.recipientEmail,
      subject: notifications.subject,
      template: notifications.template,
      status: notifications.status,
      transport: notifications.transport,
      attempts: notifications.attempts,
      lastError: notifications.lastError,
      createdAt: notifications.createdAt,
      sentAt: notifications.sentAt,
    })
    .from(notifications)
    .orderBy(desc(notifications.createdAt))
    .limit(limit);
}

export async function getOutboxMessage(db: Db, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [row] = await db.select().from(notifications).where(eq(notifications.id, id));
  return row ?? null;
}

/** What the admin outbox can be narrowed to: a status, or the dead letters (failed, out of attempts). */
export const OUTBOX_STATUS_FILTERS = [...NOTIFICATION_STATUSES, "dead_letter"] as const;
export type OutboxStatusFilter = (typeof OUTBOX_STATUS_FILTERS)[number];

// From the query string: anything unrecognised falls back to "everything, first page".
export const OutboxFilters = z.object({
  status: z.enum(OUTBOX_STATUS_FILTERS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type OutboxFilters = z.infer<typeof OutboxFilters>;

export const OUTBOX_PAGE_SIZE = 50;

const statusWhere = (status: OutboxStatusFilter): SQL | undefined =>
  status === "dead_letter"
    ? and(eq(notifications.status, "failed"), gte(notifications.attempts, MAX_ATTEMPTS))
    : eq(notifications.status, status);

/** One page of every email, newest first, for the admin outbox (never the rendered body or payload). */
export async function listOutboxPage(db: Db, filters: OutboxFilters, pageSize = OUTBOX_PAGE_SIZE) {
  const rows = await db
    .select({
      id: notifications.id,
      recipientEmail: notifications.recipientEmail,
      subject: notifications.subject,
      event: notifications.event,
      status: notifications.status,
      transport: notifications.transport,
      attempts: notifications.attempts,
      lastError: notifications.lastError,
      createdAt: notifications.createdAt,
      sentAt: notifications.sentAt,
    })
    .from(notifications)
    .where(filters.status ? statusWhere(filters.status) : undefined)
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .offset((filters.page - 1) * pageSize)
    .limit(pageSize + 1);
  return { messages: rows.slice(0, pageSize), hasOlder: rows.length > pageSize };
}
export type OutboxRow = Awaited<ReturnType<typeof listOutboxPage>>["messages"][number];

/** The admin outbox: one page of every email, filtered from the query string (anything unknown: everything). */
export async function readAdminOutbox(ctx: UserContext, query: unknown) {
  permit(mayAdminister(ctx.actor), "This needs the admin role.");
  const filters = parseInput(OutboxFilters, query);
  return { filters, ...(await listOutboxPage(ctx.db, filters)) };
}
