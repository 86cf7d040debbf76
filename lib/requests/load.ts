import "server-only";
import { and, eq, gt, inArray, isNull, lte } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import {
  changeRequests,
  decisions,
  delegations,
  memberships,
  models,
  modelVersions,
  requestSteps,
  userRoles,
  users,
} from "@/db/schema";
import type { Role } from "@/db/schema/org";
import { NotFound } from "../errors";
import type { Person } from "../approvals/state";

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

/** People (active) with their roles and teams, for eligibility checks and notifications. */
export async function loadPeople(
  tx: Db | Tx,
  ids: string[],
): Promise<(Person & { email: string; name: string | null })[]> {
  if (!ids.length) return [];
  const [people, roles, teams] = await Promise.all([
    tx
      .select({ id: users.id, email: users.email, name: users.name })
      .from(users)
      .where(and(inArray(users.id, ids), eq(users.active, true))),
    tx.select().from(userRoles).where(inArray(userRoles.userId, ids)),
    tx.select().from(memberships).where(inArray(memberships.userId, ids)),
  ]);
  return people.map((p) => ({
    ...p,
    roles: roles.filter((r) => r.userId === p.id).map((r) => r.role as Role),
    teamIds: teams.filter((t) => t.userId === p.id).map((t) => t.teamId),
  }));
}

/** Everyone active who holds a role (optionally only members of a team). */
export async function holdersOf(tx: Db | Tx, role: Role, teamId?: string) {
  const base = tx
    .select({ id: users.id, email: users.email, name: users.name })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId));
  if (!teamId) return base.where(and(eq(userRoles.role, role), eq(users.active, true)));
  return base
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.teamId, teamId)))
    .where(and(eq(userRoles.role, role), eq(users.active, true)));
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
