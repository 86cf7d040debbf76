import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const NOTIFICATION_STATUSES = ["queued", "sending", "sent", "failed"] as const;
export const notificationStatusEnum = pgEnum("notification_status", NOTIFICATION_STATUSES);

// The transactional outbox: a verb inserts rows here in its own transaction; delivery happens after
// commit. In embedded mode without Resend this table IS the mailbox shown on the Outbox page.
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    recipientEmail: text("recipient_email").notNull(),
    recipientUserId: text("recipient_user_id"),
    template: text("template").notNull(),
    subject: text("subject").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: notificationStatusEnum("status").notNull().default("queued"),
    transport: text("transport"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    html: text("html"),
    createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { mode: "date", withTimezone: true }),
  },
  (t) => [
    index("notifications_status_idx").on(t.status, t.createdAt),
    index("notifications_recipient_idx").on(t.recipientEmail, t.createdAt),
  ],
);
export type Notification = typeof notifications.$inferSelect;
