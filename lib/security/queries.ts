import "server-only";
import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { allowlistEntries, changeRequests, dependencyManifests, requestSteps, teams, users } from "@/db/schema";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { listTeams } from "../teams/queries";
import { advisorySnapshot } from "./advisory-store";
import { licencePolicy } from "./licence-policy";
import { mayReviewSecurity } from "./permissions";

/** Requests whose security step is open now, oldest first, with what their manifest review found. */
export async function securityQueue(db: Db) {
  return db
    .select({
      number: changeRequests.number,
      title: changeRequests.title,
      kind: changeRequests.kind,
      environment: changeRequests.environment,
      team: teams.name,
      stepName: requestSteps.name,
      openedAt: requestSteps.openedAt,
      slaHours: requestSteps.slaHours,
      manifest: dependencyManifests.fileName,
      dependencies: sql<number>`(select count(*)::int from request_dependencies d where d.manifest_id = ${dependencyManifests.id})`,
      affected: sql<number>`(select count(*)::int from request_dependencies d where d.manifest_id = ${dependencyManifests.id} and jsonb_array_length(d.findings) > 0)`,
      signals: sql<number>`(select count(*)::int from request_dependencies d where d.manifest_id = ${dependencyManifests.id} and jsonb_array_length(d.signals) > 0)`,
      newToOrg: sql<number>`(select count(*)::int from request_dependencies d where d.manifest_id = ${dependencyManifests.id} and d.new_to_org)`,
      pending: sql<number>`(select count(*)::int from request_dependencies d where d.manifest_id = ${dependencyManifests.id} and d.decision = 'pending')`,
    })
    .from(requestSteps)
    .innerJoin(
      changeRequests,
      and(eq(changeRequests.id, requestSteps.requestId), eq(changeRequests.revision, requestSteps.revision)),
    )
    .innerJoin(teams, eq(teams.id, changeRequests.teamId))
    .leftJoin(
      dependencyManifests,
      and(eq(dependencyManifests.requestId, changeRequests.id), eq(dependencyManifests.current, true)),
    )
    .where(
      and(
        eq(requestSteps.role, "security"),
        eq(requestSteps.status, "pending"),
        sql`${requestSteps.openedAt} is not null`,
        sql`${changeRequests.status} in ('in_review', 'approved')`,
      ),
    )
    .orderBy(asc(requestSteps.openedAt))
    .limit(200);
}

// Keep in step with `flags` in recheck-manifests.ts (the same rule, in SQL).
const FLAGGING = sql.raw(`f ? 'recheckedAt' and (f->>'severity' in ('high', 'critical') or (f->>'malware')::boolean)`);

/**
 * Requests in review, approved or deployed whose current manifest gained a finding at or above high
 * (or malware) from a re-check after an advisory import (lib/security/recheck-manifests.ts).
 */
export async function flaggedRequests(db: Db) {
  return db
    .select({
      number: changeRequests.number,
      title: changeRequests.title,
      status: changeRequests.status,
      environment: changeRequests.environment,
      team: teams.name,
      manifest: dependencyManifests.fileName,
      flaggedAt: sql<string>`(select max(f->>'recheckedAt') from request_dependencies d, jsonb_array_elements(d.findings) f where d.manifest_id = ${dependencyManifests.id} and ${FLAGGING})`,
    })
    .from(changeRequests)
    .innerJoin(teams, eq(teams.id, changeRequests.teamId))
    .innerJoin(
      dependencyManifests,
      and(eq(dependencyManifests.requestId, changeRequests.id), eq(dependencyManifests.current, true)),
    )
    .where(
      and(
        sql`${changeRequests.status} in ('in_review', 'approved', 'deployed')`,
        sql`exists (select 1 from request_dependencies d, jsonb_array_elements(d.findings) f where d.manifest_id = ${dependencyManifests.id} and ${FLAGGING})`,
      ),
    )
    .orderBy(asc(changeRequests.number))
    .limit(200);
}
/** Every allowlist entry, newest first; `unused` = active but never used by a review. */
export async function listAllowlist(db: Db, now = new Date()) {
  const rows = await db
    .select({ entry: allowlistEntries, team: teams.name, approvedBy: users.name, approvedByEmail: users.email })
    .from(allowlistEntries)
    .leftJoin(teams, eq(teams.id, allowlistEntries.teamId))
    .leftJoin(users, eq(users.id, allowlistEntries.approvedBy))
    .orderBy(desc(allowlistEntries.approvedAt))
    .limit(500);
  return rows.map((r) => {
    const e = r.entry;
    const state: "revoked" | "expired" | "active" = e.revokedAt
      ? "revoked"
      : e.expiresAt && e.expiresAt <= now
        ? "expired"
        : "active";
    return {
      ...e,
      team: r.team,
      approvedBy: r.approvedBy ?? r.approvedByEmail,
      state,
      unused: state === "active" && e.lastUsedAt === null,
    };
  });
}

export async function securityOverview(db: Db) {
  const [snapshot, [counts]] = await Promise.all([
    advisorySnapshot(db),
    db
      .select({
        active: sql<number>`count(*) filter (where ${isNull(allowlistEntries.revokedAt)} and (${allowlistEntries.expiresAt} is null or ${allowlistEntries.expiresAt} > now()))::int`,
        unused: sql<number>`count(*) filter (where ${isNull(allowlistEntries.revokedAt)} and ${isNull(allowlistEntries.lastUsedAt)} and (${allowlistEntries.expiresAt} is null or ${allowlistEntries.expiresAt} > now()))::int`,
      })
      .from(allowlistEntries),
  ]);
  return { snapshot, allowlist: counts ?? { active: 0, unused: 0 } };
}

const NOT_SECURITY = "The security review is for the security team and admins.";

/** The security page: the queue, the advisory and allowlist figures, the licence policy. */
export async function readSecurityPage(ctx: UserContext) {
  permit(mayReviewSecurity(ctx.actor), NOT_SECURITY);
  const [queue, flagged, overview, licences] = await Promise.all([
    securityQueue(ctx.db),
    flaggedRequests(ctx.db),
    securityOverview(ctx.db),
    licencePolicy(ctx.db),
  ]);
  return { queue, flagged, overview, licences };
}

/** The allowlist page: every entry, and the teams an entry may be scoped to. */
export async function readAllowlistPage(ctx: UserContext) {
  permit(mayReviewSecurity(ctx.actor), NOT_SECURITY);
  const [entries, teams] = await Promise.all([listAllowlist(ctx.db), listTeams(ctx.db)]);
  return { entries, teams };
}
