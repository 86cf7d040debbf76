import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db";
import { memberships, teams, userRoles } from "@/db/schema";
import { systemActor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { lockActiveAdmins, lockUser } from "../users/lock";
import { directoryChanges, groupsFromClaim, hasChanges, type DirectoryChanges } from "./group-mapping";
import { groupMapping } from "./mapping-store";

export type DirectorySync =
  | { applied: false; reason: "no mapping" | "no groups claim" }
  | { applied: true; changes: DirectoryChanges; keptAdmin: boolean };

/**
 * Brings one person's roles and teams in line with the directory groups their IdP token lists, under
 * the admin's mapping, in one transaction with an audit event per change (actor "sso"). Runs at every
 * SSO sign-in, before the session is issued, so the session carries the new roles; if it fails, the
 * sign-in fails with it (a role the directory took away must not survive a failed sync).
 *
 * The one exception: the last active admin keeps the admin role even when the directory no longer
 * says so, since nobody could then fix the mapping. That is logged and audited.
 */
export async function syncDirectoryGroups(db: Db, userId: string, groupsClaim: unknown): Promise<DirectorySync> {
  const groups = groupsFromClaim(groupsClaim);
  return db.transaction(async (tx) => {
    const mapping = await groupMapping(tx);
    if (mapping.rules.length === 0) return { applied: false, reason: "no mapping" } as const;
    if (groups === undefined) return { applied: false, reason: "no groups claim" } as const;
    const actor = systemActor("sso");
    // Locks in the order revokeRole takes them (admins, then the person), so the two never deadlock.
    const managesAdmin = mapping.rules.some((r) => r.roles.includes("admin"));
    const admins = managesAdmin ? await lockActiveAdmins(tx, actor) : [];
    const user = await lockUser(tx, userId);
    const [roles, teamRows, liveTeams] = await Promise.all([
      tx.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId)),
      tx.select({ teamId: memberships.teamId }).from(memberships).where(eq(memberships.userId, userId)),
      tx.select({ id: teams.id }).from(teams),
    ]);
    // A team deleted since the mapping was saved is simply no longer mapped.
    const exists = new Set(liveTeams.map((t) => t.id));
    const current = {
      rules: mapping.rules.map((r) => ({ ...r, teamIds: r.teamIds.filter((id) => exists.has(id)) })),
    };
    const changes = directoryChanges(current, groups, {
      roles: roles.map((r) => r.role),
      teamIds: teamRows.map((t) => t.teamId),
    });
    let keptAdmin = false;
    if (changes.revokeRoles.includes("admin")) {
      if (admins.length === 1 && admins[0] === userId) {
        keptAdmin = true;
        changes.revokeRoles = changes.revokeRoles.filter((r) => r !== "admin");
        console.warn(
          `[sso] ${user.email} is the last active admin: kept the admin role their directory groups no longer give`,
        );
      }
    }
    if (!hasChanges(changes) && !keptAdmin) return { applied: true, changes, keptAdmin } as const;

    if (changes.grantRoles.length) {
      await tx
        .insert(userRoles)
        .values(changes.grantRoles.map((role) => ({ userId, role })))
        .onConflictDoNothing();
    }
    if (changes.revokeRoles.length) {
      await tx.delete(userRoles).where(and(eq(userRoles.userId, userId), inArray(userRoles.role, changes.revokeRoles)));
    }
    if (changes.joinTeams.length) {
      await tx
        .insert(memberships)
        .values(changes.joinTeams.map((teamId) => ({ userId, teamId })))
        .onConflictDoNothing();
    }
    if (changes.leaveTeams.length) {
      await tx
        .delete(memberships)
        .where(and(eq(memberships.userId, userId), inArray(memberships.teamId, changes.leaveTeams)));
    }
    await recordAudit(tx, actor, {
      action: "user.directory_synced",
      entityType: "user",
      entityId: userId,
      data: { email: user.email, groups: groups.slice(0, 100), ...changes, keptLastAdmin: keptAdmin },
    });
    return { applied: true, changes, keptAdmin } as const;
  });
}
