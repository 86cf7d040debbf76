import "server-only";
import { and, eq, gt, inArray, isNotNull, sql } from "drizzle-orm";
import type { Tx } from "@/db";
import type { UnitOfWork } from "../verb";
import { changeRequests, notifications, users, type ChangeRequest, type RequestStep } from "@/db/schema";
import type { DecisionKind } from "@/db/schema/requests";
import { listNames } from "@/emails/parts";
import { isEmergency } from "./state";
import { getEnv } from "../env";
import { enqueueNotification } from "../notifications/enqueue";
import type { TemplateName, TemplateProps } from "../notifications/templates";
import { seatHolders } from "./approvers";
import { loadPeople } from "../users/people";
import { maySeeBudgetImpact } from "../budgets/permissions";
import { stepEvidenceFor } from "../budgets/step-evidence";
import { REASK_WINDOW_MINUTES } from "../rate-limit/limits";
import { actUrl, readApproverFacts } from "./approver-facts";

const HOUR = 3_600_000;

/**
 * Who of these people was already re-asked about this request (a "request-submitted" email for a
 * revision) within the window. Runs in the edit's transaction, which holds the request's row lock, so
 * two edits at once cannot both find nobody and both send.
 */
async function recentlyReasked(tx: Tx, request: ChangeRequest, people: Recipient[], now: Date) {
  if (!people.length) return new Set<string>();
  const since = new Date(now.getTime() - REASK_WINDOW_MINUTES * 60_000);
  const found = await tx
    .selectDistinct({ email: notifications.recipientEmail })
    .from(notifications)
    .where(
      and(
        // recipient_email is indexed with created_at; the outbox stores addresses in lower case.
        inArray(
          notifications.recipientEmail,
          people.map((p) => p.email.toLowerCase()),
        ),
        gt(notifications.createdAt, since),
        eq(notifications.template, "request-submitted"),
        sql`${notifications.payload}->>'number' = ${String(request.number)}`,
        isNotNull(sql`${notifications.payload}->>'revision'`),
      ),
    );
  return new Set(found.map((row) => row.email));
}

export const requestUrl = (number: number) => `${getEnv().appUrl}/requests/${number}`;

type Recipient = { id: string; email: string };

/** Queues one email to one person, in the caller's transaction. */
export async function notifyPerson<N extends TemplateName>(
  work: UnitOfWork,
  person: Recipient,
  template: N,
  props: TemplateProps<N>,
) {
  await enqueueNotification(work, { to: person.email, userId: person.id, template, props });
}

async function requesterOf(tx: Tx, request: Pick<ChangeRequest, "requestedBy">) {
  const [person] = await tx
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(eq(users.id, request.requestedBy));
  return person ?? null;
}

/** A step that passed by itself, as recorded (its reason may carry the team's budget figures). */
type PassedStep = Pick<RequestStep, "name" | "autoPass" | "reason" | "evidence">;

/**
 * Why approvers are told: a fresh submission, a changed request whose chain restarted (both with the
 * steps that passed by themselves), or a later stage opening.
 */
export type ApproverNotice =
  | { kind: "submitted"; passed?: PassedStep[] }
  | { kind: "revised"; revision: number; passed?: PassedStep[] }
  | { kind: "stage_opened"; after: string };

/**
 * Tells everyone who may decide these (just opened) steps that their decision is needed; never the
 * requester. One email per person: someone who may decide two of the steps is told once, with both.
 */
export async function notifyApprovers(
  work: UnitOfWork,
  request: ChangeRequest,
  steps: RequestStep[],
  notice: ApproverNotice,
  now: Date,
) {
  const { tx } = work;
  const theirs = new Map<string, { person: Recipient; steps: RequestStep[] }>();
  // Only people who may take the step's seat: never the requester, the version's author, anyone a
  // step's conflicts name, or anyone who already decided on this revision.
  const seats = await seatHolders(tx, request, steps);
  for (const step of steps) {
    for (const person of seats.get(step.id) ?? []) {
      const entry = theirs.get(person.id) ?? { person, steps: [] };
      entry.steps.push(step);
      theirs.set(person.id, entry);
    }
  }
  if (!theirs.size) return 0;
  // Ten quick edits must not mean ten emails each: whoever was re-asked about this request within
  // the window already has a link to it, and the page shows the latest revision. A first ask
  // (submission) does not count, so the first edit still tells everyone what changed.
  if (notice.kind === "revised") {
    const reasked = await recentlyReasked(
      tx,
      request,
      [...theirs.values()].map((t) => t.person),
      now,
    );
    for (const [id, { person }] of theirs) if (reasked.has(person.email.toLowerCase())) theirs.delete(id);
    if (!theirs.size) return 0;
  }
  const requester = await requesterOf(tx, request);
  const passed = notice.kind === "stage_opened" ? [] : (notice.passed ?? []);
  // Each recipient reads an auto-pass reason and the budget impact as they may (figures only for those who may see them).
  const viewers = new Map((await loadPeople(tx, [...theirs.keys()])).map((p) => [p.id, p]));
  const factsFor = await readApproverFacts(tx, request, steps, now);
  for (const { person, steps: mine } of theirs.values()) {
    // The SLA clock starts when a step opens, which is now for every step passed here.
    const dueAt = new Date(now.getTime() + Math.min(...mine.map((s) => s.slaHours)) * HOUR).toISOString();
    const viewer = viewers.get(person.id);
    const seeBudget = viewer ? maySeeBudgetImpact(viewer, request) : false;
    const about = {
      number: request.number,
      title: request.title,
      requesterName: requester?.name ?? requester?.email ?? "The requester",
      stepName: listNames(mine.map((s) => s.name)),
      dueAt,
      facts: factsFor(mine, seeBudget),
      url: actUrl(request.number, mine),
    };
    if (notice.kind === "stage_opened") {
      await notifyPerson(work, person, "step-waiting", { ...about, completedStep: notice.after });
    } else {
      await notifyPerson(work, person, "request-submitted", {
        ...about,
        environment: request.environment,
        emergency: isEmergency(request),
        revision: notice.kind === "revised" ? notice.revision : undefined,
        passed: passed.flatMap((s) => {
          const reason = stepEvidenceFor(s, seeBudget).reason;
          return reason ? [{ step: s.name, reason }] : [];
        }),
      });
    }
  }
  return theirs.size;
}

export type DecisionNotice = {
  deciderName: string;
  onBehalfOf?: string;
  decision: DecisionKind;
  step: Pick<RequestStep, "name" | "approvals" | "quorum">;
  /** Names of the steps still pending after the decision. */
  remaining: string[];
  comment?: string;
};

/**
 * Tells the requester about a decision (call it after the request row is updated): the outcome when
 * the decision moved the request to a new status, otherwise what was decided on which step.
 */
export async function notifyRequesterOfDecision(work: UnitOfWork, before: ChangeRequest, notice: DecisionNotice) {
  const { tx } = work;
  const requester = await requesterOf(tx, before);
  if (!requester) return;
  // Read back inside the transaction: the deadlines were just set by the verb.
  const [after] = await tx
    .select({
      status: changeRequests.status,
      approvalExpiresAt: changeRequests.approvalExpiresAt,
      retroDueAt: changeRequests.retroDueAt,
    })
    .from(changeRequests)
    .where(eq(changeRequests.id, before.id));
  if (!after) return;
  const about = { number: before.number, title: before.title, url: requestUrl(before.number) };
  const decided = { deciderName: notice.deciderName, stepName: notice.step.name };
  if (after.status === before.status) {
    await notifyPerson(work, requester, "decision-made", {
      ...about,
      ...decided,
      onBehalfOf: notice.onBehalfOf,
      decision: notice.decision,
      approvals: notice.step.approvals,
      quorum: notice.step.quorum,
      remaining: notice.remaining,
      comment: notice.comment,
    });
    return;
  }
  const comment = notice.comment ?? "";
  switch (after.status) {
    case "approved":
      return notifyPerson(work, requester, "request-approved", {
        ...about,
        ...decided,
        comment: notice.comment,
        expiresAt: after.approvalExpiresAt?.toISOString(),
        retroDueAt: after.retroDueAt?.toISOString(),
      });
    case "rejected":
      return notifyPerson(work, requester, "request-rejected", { ...about, ...decided, comment });
    case "changes_requested":
      return notifyPerson(work, requester, "changes-requested", { ...about, ...decided, comment });
    case "revoked":
      return notifyPerson(work, requester, "request-revoked", {
        ...about,
        revokedBy: notice.deciderName,
        reason: comment,
        stepName: notice.step.name,
      });
  }
}
