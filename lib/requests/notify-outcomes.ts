import "server-only";
import { and, eq } from "drizzle-orm";
import { changeRequests, decisions, users, type ChangeRequest, type RequestStep } from "@/db/schema";
import { modelVersionName } from "../models/queries";
import { holdersOf } from "../users/people";
import type { UnitOfWork } from "../verb";
import { notifyPerson, requestUrl } from "./notify";

type Reason = "requester" | "approver" | "manager";

/**
 * Who hears that a request went live or was rolled back: its requester, everyone who approved it
 * (the principal, when a delegate decided), and its team's managers; each once, for their first reason.
 */
async function stakeholders(work: UnitOfWork, request: Pick<ChangeRequest, "id" | "requestedBy" | "teamId">) {
  const { tx } = work;
  const [requester, approvers, managers] = await Promise.all([
    tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(and(eq(users.id, request.requestedBy), eq(users.active, true))),
    tx
      .selectDistinct({ id: users.id, email: users.email })
      .from(decisions)
      .innerJoin(users, eq(users.id, decisions.principalId))
      .where(and(eq(decisions.requestId, request.id), eq(decisions.decision, "approve"), eq(users.active, true))),
    holdersOf(tx, "manager", request.teamId),
  ]);
  const told = new Map<string, { person: { id: string; email: string }; reason: Reason }>();
  for (const [people, reason] of [
    [requester, "requester"],
    [approvers, "approver"],
    [managers, "manager"],
  ] as const) {
    for (const person of people) if (!told.has(person.id)) told.set(person.id, { person, reason });
  }
  return [...told.values()];
}

/** Tells the request's stakeholders it is deployed, or rolled back, with where and which version. */
export async function notifyDeploymentNews(
  work: UnitOfWork,
  request: Pick<ChangeRequest, "id" | "number" | "title" | "requestedBy" | "teamId" | "environment">,
  news: { what: "deployed" | "rolled_back"; version?: string; other?: string; byName: string; note?: string },
) {
  for (const { person, reason } of await stakeholders(work, request)) {
    await notifyPerson(work, person, "request-deployed", {
      number: request.number,
      title: request.title,
      environment: request.environment,
      ...news,
      note: news.note?.trim() || undefined,
      reason,
      url: requestUrl(request.number),
    });
  }
}

/** The requester of a request approved the moment it was submitted, with the reasons each step passed. */
export async function notifyApprovedAtSubmission(
  work: UnitOfWork,
  request: Pick<ChangeRequest, "id" | "number" | "title" | "requestedBy">,
  passed: Pick<RequestStep, "name" | "reason">[],
) {
  const [requester] = await work.tx
    .select({ id: users.id, email: users.email, expiresAt: changeRequests.approvalExpiresAt })
    .from(changeRequests)
    .innerJoin(users, eq(users.id, changeRequests.requestedBy))
    .where(eq(changeRequests.id, request.id));
  if (!requester || passed.length === 0) return;
  await notifyPerson(work, requester, "approved-at-submission", {
    number: request.number,
    title: request.title,
    passed: passed.map((s) => ({ step: s.name, reason: s.reason?.trim() || "Its auto-pass rule held." })),
    expiresAt: requester.expiresAt?.toISOString(),
    url: requestUrl(request.number),
  });
}

/** The requester of an approval that lapsed unused. */
export async function notifyApprovalExpired(
  work: UnitOfWork,
  request: Pick<ChangeRequest, "number" | "title" | "requestedBy" | "environment" | "modelVersionId">,
) {
  const [requester] = await work.tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(eq(users.id, request.requestedBy), eq(users.active, true)));
  if (!requester) return;
  await notifyPerson(work, requester, "approval-expired", {
    number: request.number,
    title: request.title,
    environment: request.environment,
    version: await modelVersionName(work.tx, request.modelVersionId),
    expiredAt: work.now.toISOString(),
    url: requestUrl(request.number),
  });
}
