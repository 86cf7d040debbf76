import "server-only";
import { and, eq, gt, isNull, lte } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { changeRequests, decisions, delegations, models, modelVersions, requestSteps } from "@/db/schema";
import { NotFound } from "../errors";

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

export async function countedPrincipals(tx: Db | Tx, requestId: string, revision: number): Promise<Set<string>> {
  const rows = await tx
    .select({ principalId: decisions.principalId })
    .from(decisions)
    .where(and(eq(decisions.requestId, requestId), eq(decisions.revision, revision)));
  return new Set(rows.map((r) => r.principalId));
}

export async function versionOf(tx: Db | Tx, modelName: string, version: string) {
  const [row] = await tx
    .select({ id: modelVersions.id, modelId: models.id, teamId: models.teamId })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(and(eq(models.name, modelName), eq(modelVersions.version, version)));
  return row ?? null;
}

/** People who have delegated their approvals to this user for a window that includes now. */
export async function activeDelegatorIds(tx: Db | Tx, userId: string, now: Date): Promise<string[]> {
  const rows = await tx
    .select({ id: delegations.fromUserId })
    .from(delegations)
    .where(
      and(
        eq(delegations.toUserId, userId),
        lte(delegations.startsAt, now),
        gt(delegations.endsAt, now),
        isNull(delegations.revokedAt),
      ),
    );
  return rows.map((r) => r.id);
}
