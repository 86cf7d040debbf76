import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { notifications, userRoles, users } from "@/db/schema";
import { systemActor, type UserActor } from "../auth/actor";
import { loadActor } from "../auth/load-actor";
import { recordAudit } from "../audit/record";
import { getEnv } from "../env";
import { logError } from "../log";
import { enqueueNotification } from "../notifications/enqueue";
import { inUnitOfWork } from "../verb";
import { durationInWords } from "./figures";
import { queryOf } from "./filters";
import { readAutoPass, readLeadTime, readRework, readSla, readStepWaits } from "./queries";

const TEMPLATE = "weekly-insights";
// Two-key advisory lock space for weekly digests; the second key is the recipient.
const WEEKLY_LOCK = 0x77696e73; // "wins"
const DAY = 86_400_000;

/** The ISO week (Monday to Sunday, UTC) before the one `now` falls in. */
export function previousWeek(now: Date): { from: string; to: string } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY;
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  return { from: day(monday - 7 * DAY), to: day(monday - DAY) };
}

const hours = (h: number | null) => (h === null ? "no figure yet" : durationInWords(h));

/** The headline figures, in words, as the weekly email gives them. */
async function headlines(reader: { db: Db; actor: UserActor; now: Date }, week: { from: string; to: string }) {
  const [lead, steps, sla, autoPass, rework] = await Promise.all([
    readLeadTime(reader, week),
    readStepWaits(reader, week),
    readSla(reader, week),
    readAutoPass(reader, week),
    readRework(reader, week),
  ]);
  const approved = lead.submittedToApproved;
  return {
    bottleneck: steps.bottleneck?.sentence ?? null,
    leadTime: `median ${hours(approved.medianHours)} from submission to approval (${approved.requests} of ${lead.requests} requests submitted that week approved); p90 ${hours(approved.p90Hours)}`,
    waitingNow:
      steps.overall.openSteps === 0
        ? "no step is waiting"
        : `${steps.overall.openSteps} step${steps.overall.openSteps === 1 ? "" : "s"}, the oldest for ${hours(steps.overall.oldestOpenAgeHours)}`,
    autoPass:
      autoPass.passedSteps === 0
        ? "no step passed by itself"
        : `${autoPass.passedSteps} step${autoPass.passedSteps === 1 ? "" : "s"} passed by themselves${
            autoPass.estimatedSavedHours
              ? `, about ${hours(autoPass.estimatedSavedHours)} of approver time saved (estimate)`
              : ""
          }`,
    sla: `${sla.overall.breaches} breach${sla.overall.breaches === 1 ? "" : "es"} of ${sla.overall.steps} steps; ${sla.overall.remindersSent} reminders, ${sla.overall.escalations} escalation${sla.overall.escalations === 1 ? "" : "s"}`,
    rework: `${rework.requestsWithChangesRequested} request${rework.requestsWithChangesRequested === 1 ? "" : "s"} sent back for changes; ${rework.approvalsReset} approval${rework.approvalsReset === 1 ? "" : "s"} reset by edits`,
  };
}

export type WeeklyRun = { sent: number; week: { from: string; to: string } };

/**
 * Monday's email to every active admin and ML lead with last week's headline figures and its
 * bottleneck. Everyone it goes to sees every team, so the figures are read once (as the first of
 * them). Each recipient is one transaction under their own advisory lock, and one who already has
 * this week's is skipped: a rerun or two workers at once never send it twice.
 */
export async function sendWeeklyInsights(db: Db, now = new Date()): Promise<WeeklyRun> {
  const week = previousWeek(now);
  const recipients = await db
    .selectDistinct({ id: users.id })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .where(and(eq(users.active, true), inArray(userRoles.role, ["admin", "ml_lead"])))
    .orderBy(users.id);
  const run: WeeklyRun = { sent: 0, week };
  let figures: Awaited<ReturnType<typeof headlines>> | null = null;
  const failures: unknown[] = [];
  const appUrl = getEnv().appUrl;
  for (const { id } of recipients) {
    try {
      const actor = await loadActor(db, id);
      if (!actor) continue;
      figures ??= await headlines({ db, actor, now }, week);
      const facts = figures;
      const sent = await inUnitOfWork(
        db,
        async (work) => {
          const { tx } = work;
          await tx.execute(sql`select pg_advisory_xact_lock(${WEEKLY_LOCK}, hashtext(${id}))`);
          const [already] = await tx
            .select({ id: notifications.id })
            .from(notifications)
            .where(
              and(
                eq(notifications.recipientEmail, actor.email.toLowerCase()),
                eq(notifications.template, TEMPLATE),
                sql`${notifications.payload}->>'from' = ${week.from}`,
              ),
            )
            .limit(1);
          if (already) return false;
          const notificationId = await enqueueNotification(work, {
            to: actor.email,
            userId: actor.id,
            template: TEMPLATE,
            props: {
              recipientName: actor.name ?? actor.email,
              ...week,
              ...facts,
              url: `${appUrl}/insights?${queryOf(week)}`,
              settingsUrl: `${appUrl}/settings/notifications`,
            },
          });
          if (!notificationId) return false; // switched off
          await recordAudit(
            tx,
            systemActor("weekly-insights"),
            {
              action: "notification.digest_sent",
              entityType: "notification",
              entityId: notificationId,
              data: { to: actor.email, kind: TEMPLATE, week: week.from },
            },
            work.now,
          );
          return true;
        },
        { now },
      );
      if (sent) run.sent++;
    } catch (error) {
      // One person's failure must not cost the others their email; the job still fails below.
      logError(`[weekly-insights] could not send to user ${id}:`, error);
      failures.push(error);
    }
  }
  if (failures.length) throw new AggregateError(failures, `${failures.length} weekly insights email(s) failed`);
  return run;
}
