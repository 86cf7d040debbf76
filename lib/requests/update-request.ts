import "server-only";
import { eq } from "drizzle-orm";
import { changeRequests } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { Conflict, Forbidden, ValidationError } from "../errors";
import { parseInput } from "../validation";
import { inTransaction, type VerbContext } from "../verb";
import { costColumns, costCurrencyIssues } from "./costing";
import { currentSteps, lockRequest, versionOf } from "./load";
import { notifyApprovers } from "./notify";
import { UpdateRequestInput } from "./schemas";
import { snapshotChain } from "./snapshot";

const EDITABLE = ["draft", "changes_requested", "in_review", "approved"] as const;

/**
 * Edits a request. Anything an approver may have seen resets the approvals: in review or approved,
 * the revision goes up, a fresh chain is taken and its approvers are told; after "changes requested"
 * the request returns to draft as the next revision.
 */
export async function updateRequest(ctx: VerbContext, raw: unknown) {
  const input = parseInput(UpdateRequestInput, raw);
  return inTransaction(ctx, async (tx) => {
    const request = await lockRequest(tx, input.number);
    if (ctx.actor.kind !== "user" || ctx.actor.id !== request.requestedBy) throw new Forbidden("Only the requester can edit this request.");
    if (!(EDITABLE as readonly string[]).includes(request.status) || request.deployedAt) {
      throw new Conflict(`CR-${request.number} is ${request.status.replace("_", " ")} and can no longer be edited.`);
    }
    const now = ctx.now ?? new Date();
    const { number: _n, model, version, ...fields } = input;
    let modelVersionId = request.modelVersionId;
    if (model || version) {
      if (!model || !version) throw new ValidationError("Name both the model and the version.", { version: ["Name both the model and the version."] });
      const found = await versionOf(tx, model, version);
      if (!found) throw new ValidationError(`${model} has no version ${version}.`, { version: [`${model} has no version ${version}.`] });
      if (found.teamId !== request.teamId) throw new ValidationError("That model belongs to another team.", { model: ["That model belongs to another team."] });
      modelVersionId = found.id;
    }
    const environment = fields.environment ?? request.environment;
    if ((fields.emergency ?? request.emergency) && environment !== "production") {
      throw new ValidationError("Only production changes can be emergencies.", { emergency: ["Only production changes can be emergencies."] });
    }
    const { currency, costBenefit, provisioning, ...plain } = fields;
    const costChanged = currency !== undefined || costBenefit !== undefined || provisioning !== undefined;
    const cost = costChanged
      ? {
          currency: currency ?? request.currency ?? undefined,
          costBenefit: costBenefit !== undefined ? costBenefit : request.costBenefit,
          provisioning: provisioning ?? request.provisioning,
        }
      : null;
    if (cost) {
      const issues = costCurrencyIssues(cost);
      if (issues.length) throw new ValidationError(issues[0]!.message, Object.fromEntries(issues.map((i) => [i.path.join("."), [i.message]])));
      if (request.kind === "provisioning" && !cost.provisioning.length) {
        throw new ValidationError("A provisioning request lists the resources it needs.", { provisioning: ["Add at least one resource line."] });
      }
    }
    const seen = request.status !== "draft";
    const revision = seen ? request.revision + 1 : request.revision;
    const [edited] = await tx
      .update(changeRequests)
      .set({ ...plain, ...(cost ? costColumns(cost) : {}), modelVersionId, revision, status: request.status === "changes_requested" ? "draft" : request.status, updatedAt: now })
      .where(eq(changeRequests.id, request.id))
      .returning();
    let result = { request: edited!, reset: false };
    if (request.status === "in_review" || request.status === "approved") {
      const before = await currentSteps(tx, request.id, request.revision);
      const snap = await snapshotChain(tx, edited!, revision, now);
      await notifyApprovers(tx, snap.request, snap.opened, (s) => `CR-${request.number} changed (revision ${revision}): your approval is needed again for ${s.name}`);
      result = { request: snap.request, reset: before.some((s) => s.approvals > 0) || request.status === "approved" };
    }
    await recordAudit(
      tx,
      ctx.actor,
      { action: "request.updated", entityType: "change_request", entityId: request.id, data: { number: request.number, revision, changed: Object.keys(input).filter((k) => k !== "number"), approvalsReset: result.reset } },
      now,
    );
    return result;
  });
}
