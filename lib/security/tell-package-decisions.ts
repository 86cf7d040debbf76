import "server-only";
import { and, count, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { changeRequests, dependencyManifests, requestDependencies, users } from "@/db/schema";
import { LISTED_DECISIONS } from "@/emails/package-decisions";
import { getEnv } from "../env";
import { logError } from "../log";
import { enqueueNotification } from "../notifications/enqueue";
import { inUnitOfWork, type UnitOfWork } from "../verb";

/**
 * A review session is over when the request's newest untold decision is this old: someone deciding
 * forty packages one after another sends one email, not forty, and nobody waits long for it.
 */
export const REVIEW_QUIET_MINUTES = 5;
/** Requests told per sweep; the next minute's sweep takes the rest. */
export const BATCHES_PER_SWEEP = 100;

/**
 * Tells each requester, in one email per request, the package decisions the security team made since
 * the last such email, once a few quiet minutes have passed (the outbox sweep calls this every
 * minute). Each request is its own transaction, and its rows are claimed with SKIP LOCKED: two sweeps
 * at once tell each decision exactly once. Returns how many emails were queued.
 */
export async function tellPackageDecisions(db: Db, now = new Date()): Promise<number> {
  const quietSince = new Date(now.getTime() - REVIEW_QUIET_MINUTES * 60_000);
  const due = await db
    .select({ requestId: requestDependencies.requestId })
    .from(requestDependencies)
    .where(and(isNotNull(requestDependencies.decidedAt), isNull(requestDependencies.decisionToldAt)))
    .groupBy(requestDependencies.requestId)
    // A raw aggregate gets no column type to map a Date with: the time goes as ISO text.
    .having(sql`max(${requestDependencies.decidedAt}) <= ${quietSince.toISOString()}::timestamptz`)
    .limit(BATCHES_PER_SWEEP);
  let told = 0;
  for (const { requestId } of due) {
    try {
      told += await inUnitOfWork(db, (work) => tellRequester(work, requestId), { now });
    } catch (error) {
      // One request's failure must not hold back everyone else's news; its rows stay untold for the next sweep.
      logError(`[package-decisions] could not tell the decisions on request ${requestId}:`, error);
    }
  }
  return told;
}

async function tellRequester(work: UnitOfWork, requestId: string): Promise<number> {
  const { tx, now } = work;
  const rows = await tx
    .select()
    .from(requestDependencies)
    .where(
      and(
        eq(requestDependencies.requestId, requestId),
        isNotNull(requestDependencies.decidedAt),
        isNull(requestDependencies.decisionToldAt),
      ),
    )
    .for("update", { skipLocked: true });
  if (!rows.length) return 0; // another sweep holds (or just told) them
  await tx
    .update(requestDependencies)
    .set({ decisionToldAt: now })
    .where(
      inArray(
        requestDependencies.id,
        rows.map((r) => r.id),
      ),
    );
  const [request] = await tx
    .select({
      number: changeRequests.number,
      title: changeRequests.title,
      requesterId: users.id,
      requesterEmail: users.email,
      active: users.active,
    })
    .from(changeRequests)
    .innerJoin(users, eq(users.id, changeRequests.requestedBy))
    .where(eq(changeRequests.id, requestId));
  // Marked told either way: a deactivated requester's decisions are not kept waiting for ever.
  if (!request?.active) return 0;
  const deciderIds = [...new Set(rows.flatMap((r) => (r.decidedBy ? [r.decidedBy] : [])))];
  const [deciders, [pending]] = await Promise.all([
    deciderIds.length
      ? tx.select({ name: users.name, email: users.email }).from(users).where(inArray(users.id, deciderIds))
      : [],
    tx
      .select({ n: count() })
      .from(requestDependencies)
      .innerJoin(dependencyManifests, eq(dependencyManifests.id, requestDependencies.manifestId))
      .where(
        and(
          eq(requestDependencies.requestId, requestId),
          eq(dependencyManifests.current, true),
          eq(requestDependencies.decision, "pending"),
        ),
      ),
  ]);
  const decided = rows.filter((r) => r.decision !== "pending");
  if (!decided.length) return 0;
  // Rejections first (what the requester must act on), then by name.
  const listed = [...decided]
    .sort((a, b) => (a.decision === b.decision ? a.name.localeCompare(b.name) : a.decision === "rejected" ? -1 : 1))
    .slice(0, LISTED_DECISIONS)
    .map((r) => ({
      name: r.name,
      version: r.pinnedVersion ?? undefined,
      decision: r.decision as "approved" | "rejected",
      reason: r.decisionReason?.trim() || "No reason recorded.",
    }));
  await enqueueNotification(work, {
    to: request.requesterEmail,
    userId: request.requesterId,
    template: "package-decisions",
    props: {
      number: request.number,
      title: request.title,
      deciderNames: deciders.length ? deciders.map((d) => d.name ?? d.email).sort() : ["The security team"],
      approved: decided.filter((r) => r.decision === "approved").length,
      rejected: decided.filter((r) => r.decision === "rejected").length,
      decisions: listed,
      pending: pending?.n ?? 0,
      url: `${getEnv().appUrl}/requests/${request.number}/dependencies`,
    },
  });
  return 1;
}
