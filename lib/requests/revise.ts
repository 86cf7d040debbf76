import "server-only";
import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import type { UnitOfWork } from "../verb";
import { changeRequests, type ChangeRequest } from "@/db/schema";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { Conflict, Forbidden, NotFound } from "../errors";
import { currentSteps, lockRequest } from "./load";
import { notifyApprovers } from "./notify";
import { isEditable } from "./permissions";
import { snapshotChain } from "./snapshot";
import { assessRisk } from "./assess-risk";
import { statusInWords } from "../labels";

function assertEditableBy(actor: Actor, request: ChangeRequest) {
  if (actor.kind !== "user" || actor.id !== request.requestedBy)
    throw new Forbidden("Only the requester can edit this request.");
  if (!isEditable(request)) {
    throw new Conflict(`CR-${request.number} is ${statusInWords(request.status)} and can no longer be edited.`);
  }
}

/** Locks a request its requester is about to change, refusing anyone else and requests past editing. */
export async function lockForEdit(tx: Tx, actor: Actor, number: number) {
  const request = await lockRequest(tx, number);
  assertEditableBy(actor, request);
  return request;
}

/**
 * The same refusal without a lock, for slow work before the transaction (parsing an upload): it
 * spares the work for anyone who may not edit; lockForEdit decides again under the lock.
 */
export async function assertMayEdit(db: Db, actor: Actor, number: number): Promise<void> {
  const [request] = await db.select().from(changeRequests).where(eq(changeRequests.number, number));
  if (!request) throw new NotFound(`No request CR-${number}.`);
  assertEditableBy(actor, request);
}

/**
 * Applies a change to a locked request. Anything an approver may have seen resets the approvals: in
 * review or approved, the revision goes up, a fresh chain is taken and its approvers are told; after
 * "changes requested" the request returns to draft as the next revision. `apply` writes the change
 * itself (it receives the new revision) and returns the edited row.
 */
export async function reviseRequest(
  work: UnitOfWork,
  actor: Actor,
  request: ChangeRequest,
  changed: string[],
  apply: (revision: number) => Promise<Partial<typeof changeRequests.$inferInsert>>,
) {
  const { tx, now } = work;
  const seen = request.status !== "draft";
  const revision = seen ? request.revision + 1 : request.revision;
  const values = await apply(revision);
  const [edited] = await tx
    .update(changeRequests)
    .set({
      ...values,
      revision,
      status: request.status === "changes_requested" ? "draft" : request.status,
      updatedAt: now,
    })
    .where(eq(changeRequests.id, request.id))
    .returning();
  // What the edit did to the risk (a new manifest, a higher cost), stored before any chain is taken.
  const assessed = await assessRisk(tx, edited!, now);
  let result = { request: assessed, reset: false };
  if (request.status === "in_review" || request.status === "approved") {
    const before = await currentSteps(tx, request.id, request.revision);
    const snap = await snapshotChain(work, assessed, revision, now);
    const passed = snap.steps.filter((s) => s.status === "auto_passed");
    await notifyApprovers(work, snap.request, snap.opened, { kind: "revised", revision, passed }, now);
    result = { request: snap.request, reset: before.some((s) => s.approvals > 0) || request.status === "approved" };
  }
  await recordAudit(
    tx,
    actor,
    {
      action: "request.updated",
      entityType: "change_request",
      entityId: request.id,
      data: { number: request.number, revision, changed, approvalsReset: result.reset },
    },
    now,
  );
  return result;
}
