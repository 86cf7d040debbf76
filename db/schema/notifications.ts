import { index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";

// held: waiting for the recipient's daily digest; digested: went out inside a digest email.
export const NOTIFICATION_STATUSES = ["queued", "sending", "sent", "failed", "held", "digested"] as const;
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
    // The kind of event (lib/notifications/events.ts): what a person's preferences are keyed by.
    event: text("event").notNull().default("other"),
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

export const DELIVERY_MODES = ["immediately", "digest", "off"] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];
export const deliveryModeEnum = pgEnum("delivery_mode", DELIVERY_MODES);

/** How a person wants each kind of email; no row means "immediately". */
export const notificationPreferences = pgTable(
  "notification_preferences",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    mode: deliveryModeEnum("mode").notNull(),
    updatedAt: timestamp("updated_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.event] })],
);
