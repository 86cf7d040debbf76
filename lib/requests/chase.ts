// Pure: when an open step is due a reminder or an escalation. Reminders go out once per SLA period
// past the step's opening (at 1x, 2x, 3x ... the SLA); the escalation once, at twice the SLA. An
// emergency's retro-approval deadline counts as the step's due time when it comes sooner.

export type ChaseFacts = {
  openedAt: Date;
  slaHours: number;
  remindersSent: number;
  escalatedAt: Date | null;
  retroDueAt?: Date | null;
};
export type ChaseAction = { remind: boolean; escalate: boolean; overdueHours: number; dueAt: Date; periodsDue: number };

const HOUR = 3_600_000;

export function chaseAction(step: ChaseFacts, now: Date): ChaseAction {
  const sla = step.slaHours * HOUR;
  const slaDue = new Date(step.openedAt.getTime() + sla);
  const dueAt = step.retroDueAt && step.retroDueAt < slaDue ? step.retroDueAt : slaDue;
  const late = now.getTime() - dueAt.getTime();
  if (late < 0) return { remind: false, escalate: false, overdueHours: 0, dueAt, periodsDue: 0 };
  // Periods counted from the due time: the first reminder when due, then one per further SLA period.
  const periodsDue = Math.floor(late / sla) + 1;
  const escalateAt =
    step.retroDueAt && step.retroDueAt < slaDue ? step.retroDueAt.getTime() : step.openedAt.getTime() + 2 * sla;
  return {
    remind: step.remindersSent < periodsDue,
    escalate: step.escalatedAt === null && now.getTime() >= escalateAt,
    overdueHours: Math.floor(late / HOUR),
    dueAt,
    // Recorded as the reminders count after sending: a sweep that was down for days sends ONE catch-up reminder.
    periodsDue,
  };
}

/** An approval not yet deployed is chased once, this long before it lapses. */
export const EXPIRY_WARNING_HOURS = 48;

export function expiryDue(approvalExpiresAt: Date | null, remindedAt: Date | null, now: Date): boolean {
  if (!approvalExpiresAt || remindedAt) return false;
  const left = approvalExpiresAt.getTime() - now.getTime();
  return left > 0 && left <= EXPIRY_WARNING_HOURS * HOUR;
}
