import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "@/db";
import {
  approvalPolicies,
  approvalPolicyVersions,
  changeRequests,
  decisions,
  models,
  modelVersions,
  requestSteps,
  teams,
  users,
  type ChangeRequest,
  type RequestStep,
} from "@/db/schema";
import type { PolicyDefinition } from "@/db/schema/governance";
import { NotFound } from "../errors";
import { pinKey, stepConflicts } from "./conflicts";
import type { ApprovalRequest, CastDecision } from "./resolve-step";

/** Locks a request by its number for the rest of the transaction: its changes queue up. */
export async function lockRequest(tx: Tx, number: number) {
  const [request] = await tx.select().from(changeRequests).where(eq(changeRequests.number, number)).for("update");
  if (!request) throw new NotFound(`No request CR-${number}.`);
  return request;
}

export async function currentSteps(tx: Db | Tx, requestId: string, revision: number) {
  return tx
    .select()
    .from(requestSteps)
    .where(and(eq(requestSteps.requestId, requestId), eq(requestSteps.revision, revision)))
    .orderBy(requestSteps.stage, requestSteps.role);
}

export async function versionOf(tx: Db | Tx, modelName: string, version: string) {
  const [row] = await tx
    .select({
      id: modelVersions.id,
      modelId: models.id,
      teamId: models.teamId,
      author: modelVersions.createdBy,
      artifactDigest: modelVersions.artifactDigest,
    })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(and(eq(models.name, modelName), eq(modelVersions.version, version)));
  return row ?? null;
}

const deciding = alias(users, "deciding");
const counted = alias(users, "counted");

/**
 * The decisions counted on these request revisions (each request at the revision given), by
 * request id: who decided, for whom, on which step. One person, one seat: the rules read this.
 */
export async function castDecisions(
  tx: Db | Tx,
  requests: readonly { id: string; revision: number }[],
): Promise<Map<string, CastDecision[]>> {
  const byRequest = new Map<string, CastDecision[]>(requests.map((r) => [r.id, []]));
  if (!requests.length) return byRequest;
  const rows = await tx
    .select({
      requestId: decisions.requestId,
      revision: decisions.revision,
      actorId: decisions.actorId,
      principalId: decisions.principalId,
      stepName: requestSteps.name,
      actorName: deciding.name,
      actorEmail: deciding.email,
      principalName: counted.name,
      principalEmail: counted.email,
    })
    .from(decisions)
    .innerJoin(requestSteps, eq(requestSteps.id, decisions.stepId))
    .innerJoin(deciding, eq(deciding.id, decisions.actorId))
    .innerJoin(counted, eq(counted.id, decisions.principalId))
    .where(
      inArray(
        decisions.requestId,
        requests.map((r) => r.id),
      ),
    )
    .orderBy(decisions.createdAt);
  const revisions = new Map(requests.map((r) => [r.id, r.revision]));
  for (const r of rows) {
    if (revisions.get(r.requestId) !== r.revision) continue;
    byRequest.get(r.requestId)!.push({
      actorId: r.actorId,
      principalId: r.principalId,
      stepName: r.stepName,
      actorName: r.actorName ?? r.actorEmail,
      principalName: r.principalName ?? r.principalEmail,
    });
  }
  return byRequest;
}

/** The request as the approval rules see it: its facts, its model version's author and model owner. */
export async function approvalFacts(
  tx: Db | Tx,
  request: Pick<
    ChangeRequest,
    "id" | "number" | "revision" | "kind" | "requestedBy" | "teamId" | "emergency" | "environment"
  >,
): Promise<ApprovalRequest> {
  const [about] = await tx
    .select({
      teamName: teams.name,
      model: models.name,
      version: modelVersions.version,
      authorId: modelVersions.createdBy,
      modelOwnerId: models.ownerId,
    })
    .from(changeRequests)
    .innerJoin(teams, eq(teams.id, changeRequests.teamId))
    .leftJoin(modelVersions, eq(modelVersions.id, changeRequests.modelVersionId))
    .leftJoin(models, eq(models.id, modelVersions.modelId))
    .where(eq(changeRequests.id, request.id));
  return {
    number: request.number,
    revision: request.revision,
    kind: request.kind,
    requestedBy: request.requestedBy,
    teamId: request.teamId,
    emergency: request.emergency,
    environment: request.environment,
    teamName: about?.teamName ?? null,
    model: about?.model ?? null,
    version: about?.version ?? null,
    authorId: about?.authorId ?? null,
    modelOwnerId: about?.modelOwnerId ?? null,
  };
}

/**
 * The steps with the conflicts their policies name (lib/requests/conflicts.ts), read from the policy
 * versions the snapshot pinned. A pinned version missing from the history falls back to the policy
 * itself when it is still at that version.
 */
export async function withConflicts<S extends Pick<RequestStep, "role" | "scope" | "policies">>(
  tx: Db | Tx,
  steps: S[],
): Promise<(S & { conflicts: ReturnType<typeof stepConflicts> })[]> {
  const ids = [...new Set(steps.flatMap((s) => s.policies.map((p) => p.id)))];
  const definitions = new Map<string, PolicyDefinition>();
  if (ids.length) {
    const [versions, current] = await Promise.all([
      tx
        .select({
          id: approvalPolicyVersions.policyId,
          version: approvalPolicyVersions.version,
          definition: approvalPolicyVersions.definition,
        })
        .from(approvalPolicyVersions)
        .where(inArray(approvalPolicyVersions.policyId, ids)),
      tx
        .select({ id: approvalPolicies.id, version: approvalPolicies.version, definition: approvalPolicies.definition })
        .from(approvalPolicies)
        .where(inArray(approvalPolicies.id, ids)),
    ]);
    for (const p of current) definitions.set(pinKey(p), p.definition);
    for (const v of versions) definitions.set(pinKey(v), v.definition);
  }
  return steps.map((s) => ({ ...s, conflicts: stepConflicts(s, definitions) }));
}
