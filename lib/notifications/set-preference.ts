import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { DELIVERY_MODES, notificationPreferences } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { Forbidden } from "../errors";
import { defineVerb } from "../verb";
import { CONFIGURABLE_EVENTS, NOTIFICATION_EVENTS } from "./events";
import { effectiveMode } from "./preferences";

// Two-key advisory locks live apart from the one-key audit chain lock; the second key is the person.
const PREFERENCES_LOCK = 0x6e6f7466; // "notf"

/**
 * Sets how the signed-in person gets one kind of email. Only for themselves: not even an admin may
 * quieten someone else's mail (that would hide approvals waiting for them).
 */
export const setNotificationPreference = defineVerb({
  allow: "signed-in",
  peopleOnly: true,
  input: z
    .object({
      event: z.enum(CONFIGURABLE_EVENTS, { error: "Choose one of the kinds of email listed." }),
      mode: z.enum(DELIVERY_MODES, { error: "Choose immediately, daily digest or off." }),
      // Accepted only to refuse it when it names someone else: preferences are the person's own.
      userId: z.string().optional(),
    })
    .refine((v) => v.mode !== "off" || !NOTIFICATION_EVENTS[v.event].mandatory, {
      path: ["mode"],
      message: "Assigned work and mentions cannot be switched off; choose the daily digest instead.",
    }),
  async run({ tx, actor, now }, input) {
    if (actor.kind !== "user") throw new Forbidden("Notification preferences belong to people.");
    if (input.userId !== undefined && input.userId !== actor.id) {
      throw new Forbidden("You can change your own notification preferences only.");
    }
    // Serialises one person's changes, so "before" in the audit event is what the change replaced.
    await tx.execute(sql`select pg_advisory_xact_lock(${PREFERENCES_LOCK}, hashtext(${actor.id}))`);
    const [current] = await tx
      .select({ mode: notificationPreferences.mode })
      .from(notificationPreferences)
      .where(and(eq(notificationPreferences.userId, actor.id), eq(notificationPreferences.event, input.event)));
    const before = effectiveMode(input.event, current?.mode);
    if (current?.mode === input.mode || (!current && input.mode === "immediately"))
      return { event: input.event, mode: input.mode, changed: false };
    await tx
      .insert(notificationPreferences)
      .values({ userId: actor.id, event: input.event, mode: input.mode, updatedAt: now })
      .onConflictDoUpdate({
        target: [notificationPreferences.userId, notificationPreferences.event],
        set: { mode: input.mode, updatedAt: now },
      });
    await recordAudit(
      tx,
      actor,
      {
        action: "notification.preference_changed",
        entityType: "user",
        entityId: actor.id,
        data: { event: input.event, before, after: input.mode },
      },
      now,
    );
    return { event: input.event, mode: input.mode, changed: true };
  },
});
