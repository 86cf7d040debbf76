import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { notifications, users, type Notification } from "@/db/schema";
import { systemActor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { getEnv } from "../env";
import { inUnitOfWork, type UnitOfWork } from "../verb";
import { enqueueNotification } from "./enqueue";
import { isConfigurableEvent } from "./preferences";
import { logError } from "../log";

// Two-key advisory lock space for digests; the second key is the recipient.
const DIGEST_LOCK = 0x64677374; // "dgst"

const DIGEST_TEMPLATE = "daily-digest";

export type DigestRun = { digests: number; items: number };

/** The UTC calendar day a run belongs to: one digest per person per day, whoever runs it. */
export const digestDay = (now: Date) => now.toISOString().slice(0, 10);

/**
 * Sends each person whose mail is held ONE email listing it, and marks what it listed as digested.
 * Each person is one transaction under their own advisory lock, and a person who already has today's
 * digest is skipped: two workers running at once (or a retried run) neither double a digest nor drop
 * an item (what arrives after today's digest waits for tomorrow's). Deactivated people get none;
 * their mail stays held, visible on the admin outbox page.
 */
export async function sendDigests(db: Db, now = new Date()): Promise<DigestRun> {
  const recipients = await db
    .selectDistinct({ userId: users.id })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.recipientUserId))
    .where(and(eq(notifications.status, "held"), eq(users.active, true)));
  const run: DigestRun = { digests: 0, items: 0 };
  const failures: unknown[] = [];
  for (const { userId } of recipients) {
    try {
      const listed = await inUnitOfWork(db, (work) => digestFor(work, userId), { now });
      if (listed) {
        run.digests++;
        run.items += listed;
      }
    } catch (error) {
      // One person's failure must not cost everyone else their digest; the job still fails below.
      logError(`[digest] could not send the digest for user ${userId}:`, error);
      failures.push(error);
    }
  }
  if (failures.length) throw new AggregateError(failures, `${failures.length} digest(s) failed`);
  return run;
}

/** One person's digest, inside its transaction; returns how many held emails it listed (0: none sent). */
async function digestFor(work: UnitOfWork, userId: string): Promise<number> {
  const { tx, now } = work;
  await tx.execute(sql`select pg_advisory_xact_lock(${DIGEST_LOCK}, hashtext(${userId}))`);
  const [person] = await tx
    .select({ email: users.email, name: users.name, active: users.active })
    .from(users)
    .where(eq(users.id, userId));
  if (!person?.active) return 0;
  const day = digestDay(now);
  const [sentToday] = await tx
    .select({ id: notifications.id })
    .from(notifications)
    .where(
      and(
        eq(notifications.recipientEmail, person.email.toLowerCase()),
        eq(notifications.template, DIGEST_TEMPLATE),
        sql`${notifications.payload}->>'date' = ${day}`,
      ),
    )
    .limit(1);
  if (sentToday) return 0;
  const held = await tx
    .select()
    .from(notifications)
    .where(and(eq(notifications.recipientUserId, userId), eq(notifications.status, "held")))
    .orderBy(asc(notifications.createdAt))
    .for("update");
  if (held.length === 0) return 0;

  const appUrl = getEnv().appUrl;
  const digestId = await enqueueNotification(work, {
    to: person.email,
    userId,
    template: DIGEST_TEMPLATE,
    props: {
      recipientName: person.name ?? person.email,
      date: day,
      items: held.map((n) => digestItem(n, appUrl)),
      settingsUrl: `${appUrl}/settings/notifications`,
    },
  });
  await tx
    .update(notifications)
    .set({ status: "digested", sentAt: now })
    .where(
      and(
        inArray(
          notifications.id,
          held.map((n) => n.id),
        ),
        eq(notifications.status, "held"),
      ),
    );
  await recordAudit(
    tx,
    systemActor("daily-digest"),
    {
      action: "notification.digest_sent",
      entityType: "notification",
      entityId: digestId ?? userId,
      data: { to: person.email, day, items: held.length },
    },
    now,
  );
  return held.length;
}

/** One line of the digest: what the held email said, and where it pointed. */
function digestItem(n: Notification, appUrl: string) {
  const { number, title, url } = n.payload;
  return {
    // Held mail is always of a configurable event (nothing else can be held); "other" is the safe fallback.
    event: isConfigurableEvent(n.event) ? n.event : ("other" as const),
    headline: n.subject,
    ...(typeof number === "number" && Number.isInteger(number) && number > 0 ? { number } : {}),
    ...(typeof title === "string" && title.trim() ? { title } : {}),
    url: typeof url === "string" ? url : `${appUrl}/inbox`,
    at: n.createdAt.toISOString(),
  };
}
