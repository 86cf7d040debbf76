import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";

/** An HTTPS (or, where allowed, private) endpoint that is pushed the events it subscribed to. */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    // Event types (lib/webhooks/events.ts); a delivery is queued only for these.
    events: text("events").array().notNull(),
    // whsec_<base64>: the HMAC key the Standard Webhooks signature is made with. Shown once, when
    // created; the API never returns it again (ADR 0021).
    secret: text("secret").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    // Why it is off when it is: null when an admin turned it off, a sentence when Greenlight did.
    disabledReason: text("disabled_reason"),
    // Failed attempts in a row across deliveries; a success resets it. Auto-disable counts these.
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("webhook_endpoints_enabled_idx").on(t.enabled)],
);
export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;

// pending: due at next_attempt_at; sending: claimed by a worker (sending_since); delivered: a 2xx
// came back; failed: every attempt failed, or the endpoint was disabled or deleted meanwhile.
export const WEBHOOK_DELIVERY_STATUSES = ["pending", "sending", "delivered", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
export const webhookDeliveryStatusEnum = pgEnum("webhook_delivery_status", WEBHOOK_DELIVERY_STATUSES);

/**
 * One event for one endpoint: inserted in the transaction of the change it reports, so an event is
 * queued if and only if its change committed. message_id is the Standard Webhooks webhook-id: the
 * same for every attempt and redelivery, so receivers can drop what they have already seen.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    messageId: text("message_id").notNull(),
    eventType: text("event_type").notNull(),
    // The exact JSON body sent: { type, timestamp, data }.
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: webhookDeliveryStatusEnum("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
    sendingSince: timestamp("sending_since", { mode: "date", withTimezone: true }),
    lastStatusCode: integer("last_status_code"),
    lastDurationMs: integer("last_duration_ms"),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { mode: "date", withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { mode: "date", withTimezone: true }),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_endpoint_message_idx").on(t.endpointId, t.messageId),
    index("webhook_deliveries_endpoint_created_idx").on(t.endpointId, t.createdAt),
    index("webhook_deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`status in ('pending', 'sending')`),
  ],
);
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

/** Every attempt made on a delivery: the delivery log an admin reads. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attemptedAt: timestamp("attempted_at", { mode: "date", withTimezone: true }).notNull(),
    // Null when no HTTP answer came back (refused address, timeout, connection error).
    statusCode: integer("status_code"),
    durationMs: integer("duration_ms").notNull(),
    error: text("error"),
    // The start of the response body, for diagnosis (at most 1 KB).
    responseExcerpt: text("response_excerpt"),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.attemptedAt)],
);
export type WebhookAttempt = typeof webhookAttempts.$inferSelect;
