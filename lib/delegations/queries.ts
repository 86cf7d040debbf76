import "server-only";
import { and, desc, eq, gt, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Db, Tx } from "@/db";
import { delegations, teams, users } from "@/db/schema";
import type { Role } from "@/db/schema/org";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { NotFound } from "../errors";
import { loadPeople } from "../users/people";
import { mayEndDelegation, mayReadDelegationsOf } from "./permissions";
import { delegationStatus, isOpen, type DelegationStatus } from "./status";
import { parseInput } from "../validation";

const giver = alias(users, "giver");
const receiver = alias(users, "receiver");
const ender = alias(users, "ender");

/** A delegation with the people and team it names (never a whole user row). */
export type DelegationView = {
  id: string;
  from: { id: string; email: string; name: string | null };
  to: { id: string; email: string; name: string | null };
  role: Role | null;
  team: { id: string; name: string } | null;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  createdAt: Date;
  revokedAt: Date | null;
  revokedBy: { id: string; email: string; name: string | null } | null;
};
export type DelegationWithStatus = DelegationView & {
  status: DelegationStatus;
  /** Whether the reader may end it now (lib/delegations/permissions.ts), while it has not ended. */
  canEnd: boolean;
};

/** Delegations matching `where`, newest window first, with who gave, received and ended them. */
export async function delegationViews(tx: Db | Tx, where: SQL | undefined, limit = 100): Promise<DelegationView[]> {
  const rows = await tx
    .select({
      id: delegations.id,
      fromId: giver.id,
      fromEmail: giver.email,
      fromName: giver.name,
      toId: receiver.id,
      toEmail: receiver.email,
      toName: receiver.name,
      role: delegations.role,
      teamId: teams.id,
      teamName: teams.name,
      startsAt: delegations.startsAt,
      endsAt: delegations.endsAt,
      reason: delegations.reason,
      createdAt: delegations.createdAt,
      revokedAt: delegations.revokedAt,
      enderId: ender.id,
      enderEmail: ender.email,
      enderName: ender.name,
    })
    .from(delegations)
    .innerJoin(giver, eq(giver.id, delegations.fromUserId))
    .innerJoin(receiver, eq(receiver.id, delegations.toUserId))
    .leftJoin(teams, eq(teams.id, delegations.teamId))
    .leftJoin(ender, eq(ender.id, delegations.revokedBy))
    .where(where)
    .orderBy(desc(delegations.startsAt), desc(delegations.createdAt))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    from: { id: r.fromId, email: r.fromEmail, name: r.fromName },
    to: { id: r.toId, email: r.toEmail, name: r.toName },
    role: r.role,
    team: r.teamId && r.teamName ? { id: r.teamId, name: r.teamName } : null,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    reason: r.reason,
    createdAt: r.createdAt,
    revokedAt: r.revokedAt,
    revokedBy: r.enderId && r.enderEmail ? { id: r.enderId, email: r.enderEmail, name: r.enderName } : null,
  }));
}

/** One delegation as shown, or null. */
export async function delegationView(tx: Db | Tx, id: string): Promise<DelegationView | null> {
  const [view] = await delegationViews(tx, eq(delegations.id, id), 1);
  return view ?? null;
}

/**
 * The delegations to this person in force now, with the delegators as eligibility sees them (roles
 * and teams as of now; a deactivated delegator passes on nothing). With `lock`, the rows are
 * share-locked until the transaction ends: a delegation being ended at that moment waits for the
 * decision, or the decision sees it ended.
 */
export async function delegationsInForceTo(tx: Db | Tx, userId: string, now: Date, options: { lock?: boolean } = {}) {
  const query = tx
    .select({
      id: delegations.id,
      fromUserId: delegations.fromUserId,
      role: delegations.role,
      teamId: delegations.teamId,
    })
    .from(delegations)
    .where(
      and(
        eq(delegations.toUserId, userId),
        lte(delegations.startsAt, now),
        gt(delegations.endsAt, now),
        isNull(delegations.revokedAt),
      ),
    );
  const rows = options.lock ? await query.for("share") : await query;
  const people = await loadPeople(tx, [...new Set(rows.map((r) => r.fromUserId))]);
  return rows.flatMap((r) => {
    const from = people.find((p) => p.id === r.fromUserId);
    return from ? [{ id: r.id, from, role: r.role, teamId: r.teamId }] : [];
  });
}

export const DelegationsQuery = z.object({
  /** An admin reads someone else's: their user id or email. */
  user: z.string().trim().min(1, "Name a user by id or email.").max(320).optional(),
});

/** Ended delegations stay listed this long after they ended. */
const LISTED_AFTER_END_MS = 90 * 86_400_000;

/**
 * The delegations a person gave and received: current and upcoming ones, and those that ended in
 * the last 90 days. One's own; an admin may name anyone (`user`).
 */
export async function readDelegations(ctx: UserContext, query: unknown = {}, now = new Date()) {
  const input = parseInput(DelegationsQuery, query);
  let user: { id: string; email: string; name: string | null } = {
    id: ctx.actor.id,
    email: ctx.actor.email,
    name: ctx.actor.name,
  };
  if (input.user && input.user !== ctx.actor.id && input.user.toLowerCase() !== ctx.actor.email.toLowerCase()) {
    permit(mayReadDelegationsOf(ctx.actor, input.user), "Only admins may read someone else's delegations.");
    const [found] = await ctx.db
      .select({ id: users.id, email: users.email, name: users.name })
      .from(users)
      .where(or(eq(users.id, input.user), eq(sql`lower(${users.email})`, input.user.toLowerCase())));
    if (!found) throw new NotFound("No such user.");
    user = found;
  }
  const cutoff = new Date(now.getTime() - LISTED_AFTER_END_MS).toISOString();
  const recent = sql`coalesce(${delegations.revokedAt}, ${delegations.endsAt}) > ${cutoff}::timestamptz`;
  const [given, received] = await Promise.all([
    delegationViews(ctx.db, and(eq(delegations.fromUserId, user.id), recent)),
    delegationViews(ctx.db, and(eq(delegations.toUserId, user.id), recent)),
  ]);
  const withStatus = (d: DelegationView): DelegationWithStatus => {
    const rule = { fromUserId: d.from.id, toUserId: d.to.id };
    return { ...d, status: delegationStatus(d, now), canEnd: isOpen(d, now) && mayEndDelegation(ctx.actor, rule) };
  };
  return { user, given: given.map(withStatus), received: received.map(withStatus) };
}
