import "server-only";
import { and, eq, gt, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { inUnitOfWork, type UnitOfWork } from "../verb";
import { changeRequests, requestSteps, teams } from "@/db/schema";
import { systemActor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { getEnv } from "../env";
import { enqueueNotification } from "../notifications/enqueue";
import { holdersOf } from "../users/people";
import { seatHolders } from "./approvers";
import { chaseAction, EXPIRY_WARNING_HOURS, expiryDue } from "./chase";

const BATCH = 100;

/**
 * The periodic chase: reminders to the eligible approvers of overdue steps, escalation to the team's
 * managers and the admins at twice the SLA (or past an emergency's retro deadline), and a warning to
 * requesters whose approval is about to lapse. Rows are taken FOR UPDATE SKIP LOCKED, so several
 * workers sweeping at once never chase the same step twice.
 */
export async function chaseOverdue(db: Db, now = new Date()) {
  const url = (number: number) => `${getEnv().appUrl}/requests/${number}`;
  const counts = { reminded: 0, escalated: 0, expiring: 0 };
  await inUnitOfWork(
    db,
    async (work) => {
      const { tx } = work;
      const open = await tx
        .select({
          step: requestSteps,
          request: changeRequests,
          number: changeRequests.number,
          title: changeRequests.title,
          teamId: changeRequests.teamId,
          requestedBy: changeRequests.requestedBy,
          status: changeRequests.status,
          retroDueAt: changeRequests.retroDueAt,
          team: teams.name,
        })
        .from(requestSteps)
        .innerJoin(
          changeRequests,
          and(eq(changeRequests.id, requestSteps.requestId), eq(changeRequests.revision, requestSteps.revision)),
        )
        .innerJoin(teams, eq(teams.id, changeRequests.teamId))
        .where(
          and(
            eq(requestSteps.status, "pending"),
            isNotNull(requestSteps.openedAt),
            inArray(changeRequests.status, ["in_review", "approved", "deployed"]),
            sql`${requestSteps.openedAt} + make_interval(hours => ${requestSteps.slaHours}) <= ${now.toISOString()}::timestamptz`,
          ),
        )
        .orderBy(requestSteps.openedAt)
        .limit(BATCH)
        .for("update", { of: requestSteps, skipLocked: true });
      for (const row of open) {
        const retro = row.status === "in_review" ? null : row.retroDueAt;
        const action = chaseAction(
          {
            openedAt: row.step.openedAt!,
            slaHours: row.step.slaHours,
            remindersSent: row.step.remindersSent,
            escalatedAt: row.step.escalatedAt,
            retroDueAt: retro,
          },
          now,
        );
        if (!action.remind && !action.escalate) continue;
        // Reminded are exactly the people the decide verb would accept on this step (never the
        // requester, the version's author, a conflicted holder, or someone whose seat is taken).
        const approvers = (await seatHolders(tx, row.request, [row.step])).get(row.step.id) ?? [];
        if (action.remind) {
          for (const p of approvers) {
            await enqueueNotification(work, {
              to: p.email,
              userId: p.id,
              template: "sla-reminder",
              props: {
                number: row.number,
                title: row.title,
                stepName: row.step.name,
                dueAt: action.dueAt.toISOString(),
                overdueHours: action.overdueHours,
                url: url(row.number),
              },
            });
          }
          await tx
            .update(requestSteps)
            .set({ remindersSent: action.periodsDue, lastRemindedAt: now })
            .where(eq(requestSteps.id, row.step.id));
          await recordAudit(
            tx,
            systemActor("reminders"),
            {
              action: "request.step_reminded",
              entityType: "change_request",
              entityId: row.step.requestId,
              data: {
                number: row.number,
                step: row.step.name,
                overdueHours: action.overdueHours,
                recipients: approvers.length,
              },
            },
            now,
          );
          counts.reminded++;
        }
        if (action.escalate) {
          const [managers, admins] = await Promise.all([holdersOf(tx, "manager", row.teamId), holdersOf(tx, "admin")]);
          const people = [
            ...new Map([...managers, ...admins].filter((p) => p.id !== row.requestedBy).map((p) => [p.id, p])).values(),
          ];
          for (const p of people) {
            await enqueueNotification(work, {
              to: p.email,
              userId: p.id,
              template: "escalation",
              props: {
                number: row.number,
                title: row.title,
                stepName: row.step.name,
                team: row.team,
                openedAt: row.step.openedAt!.toISOString(),
                slaHours: row.step.slaHours,
                overdueHours: action.overdueHours,
                waitingOn: approvers.map((a) => a.name ?? a.email),
                url: url(row.number),
              },
            });
          }
          await tx.update(requestSteps).set({ escalatedAt: now }).where(eq(requestSteps.id, row.step.id));
          await recordAudit(
            tx,
            systemActor("reminders"),
            {
              action: "request.step_escalated",
              entityType: "change_request",
              entityId: row.step.requestId,
              data: {
                number: row.number,
                step: row.step.name,
                overdueHours: action.overdueHours,
                recipients: people.length,
              },
            },
            now,
          );
          counts.escalated++;
        }
      }
      counts.expiring = await warnExpiring(work, now, url);
    },
    { now },
  );
  return counts;
}

async function warnExpiring(work: UnitOfWork, now: Date, url: (n: number) => string) {
  const { tx } = work;
  const soon = new Date(now.getTime() + EXPIRY_WARNING_HOURS * 3_600_000);
  const rows = await tx
    .select()
    .from(changeRequests)
    .where(
      and(
        eq(changeRequests.status, "approved"),
        isNull(changeRequests.deployedAt),
        isNull(changeRequests.expiryRemindedAt),
        gt(changeRequests.approvalExpiresAt, now),
        lte(changeRequests.approvalExpiresAt, soon),
      ),
    )
    .limit(BATCH)
    .for("update", { skipLocked: true });
  let warned = 0;
  for (const r of rows) {
    if (!expiryDue(r.approvalExpiresAt, r.expiryRemindedAt, now)) continue;
    const [requester] = await tx.execute<{ id: string; email: string }>(
      sql`select id, email from users where id = ${r.requestedBy} and active`,
    );
    if (requester)
      await enqueueNotification(work, {
        to: requester.email,
        userId: requester.id,
        template: "approval-expiring",
        props: { number: r.number, title: r.title, expiresAt: r.approvalExpiresAt!.toISOString(), url: url(r.number) },
      });
    await tx.update(changeRequests).set({ expiryRemindedAt: now }).where(eq(changeRequests.id, r.id));
    warned++;
  }
  return warned;
}
