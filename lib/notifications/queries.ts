import "server-only";
import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { notifications } from "@/db/schema";

export async function listOutbox(db: Db, limit = 100) {
  return db
    .select({
      id: notifications.id,
      recipientEmail: notifications.recipientEmail,
      subject: notifications.subject,
      template: notifications.template,
      status: notifications.status,
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
