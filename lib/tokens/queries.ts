import "server-only";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db";
import { apiTokens, delegations, users } from "@/db/schema";

export async function listTokens(db: Db, userId: string) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.createdAt));
}

const delegate = alias(users, "delegate");
export async function listDelegations(db: Db, userId: string) {
  return db
    .select({
      id: delegations.id,
      to: delegate.email,
      startsAt: delegations.startsAt,
      endsAt: delegations.endsAt,
      reason: delegations.reason,
    })
    .from(delegations)
    .innerJoin(delegate, eq(delegate.id, delegations.toUserId))
    .where(and(eq(delegations.fromUserId, userId), gt(delegations.endsAt, new Date()), isNull(delegations.revokedAt)))
    .orderBy(desc(delegations.startsAt));
}
