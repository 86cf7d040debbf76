import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { notificationPreferences, type DeliveryMode } from "@/db/schema";
import { CONFIGURABLE_EVENTS, NOTIFICATION_EVENTS, type NotificationEvent } from "./events";

type ConfigurableEvent = keyof typeof NOTIFICATION_EVENTS;

export function isConfigurableEvent(event: string): event is ConfigurableEvent {
  return Object.hasOwn(NOTIFICATION_EVENTS, event);
}

/**
 * What actually happens to an email of this event, given the stored choice (undefined: none made).
 * Sign-in links, digests and unclassified mail ignore preferences: someone is waiting for them, or
 * nobody could have chosen. Assigned work may wait for the digest but never disappears, so a stored
 * "off" on a mandatory event (from before it became mandatory) still reaches the person, in the digest.
 */
export function effectiveMode(event: NotificationEvent, stored: DeliveryMode | undefined): DeliveryMode {
  if (!isConfigurableEvent(event) || !stored) return "immediately";
  if (stored === "off" && NOTIFICATION_EVENTS[event].mandatory) return "digest";
  return stored;
}

/** How this person gets emails of this event, read inside the transaction that queues one. */
export async function deliveryModeFor(tx: Tx, userId: string, event: NotificationEvent): Promise<DeliveryMode> {
  if (!isConfigurableEvent(event)) return "immediately"; // no lookup for mail nobody can configure
  const [row] = await tx
    .select({ mode: notificationPreferences.mode })
    .from(notificationPreferences)
    .where(and(eq(notificationPreferences.userId, userId), eq(notificationPreferences.event, event)));
  return effectiveMode(event, row?.mode);
}

export type PreferenceRow = { event: ConfigurableEvent; label: string; mandatory: boolean; mode: DeliveryMode };

/** Every configurable event with this person's choice (the effective one), in the catalogue's order. */
export async function listPreferences(db: Db, userId: string): Promise<PreferenceRow[]> {
  const stored = await db
    .select({ event: notificationPreferences.event, mode: notificationPreferences.mode })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId));
  const chosen = new Map(stored.map((p) => [p.event, p.mode]));
  return CONFIGURABLE_EVENTS.map((event) => ({
    event,
    label: NOTIFICATION_EVENTS[event].label,
    mandatory: NOTIFICATION_EVENTS[event].mandatory,
    mode: effectiveMode(event, chosen.get(event)),
  }));
}
