import "server-only";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "@/db";
import { apiTokens } from "@/db/schema";
import { loadActor } from "../auth/load-actor";
import { hashToken } from "./hash";

/** A bearer token's id and active owner, or null (unknown, revoked, or owner deactivated). */
export async function actorForToken(db: Db, token: string) {
  if (!token.startsWith("glt_") || token.length > 200) return null;
  const [row] = await db
    .select({ id: apiTokens.id, userId: apiTokens.userId })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt)));
  if (!row) return null;
  const actor = await loadActor(db, row.userId);
  if (!actor) return null;
  // Last use to the minute is enough, and saves a write per call on busy CI tokens.
  const now = new Date();
  await db
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiTokens.id, row.id),
        or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, new Date(now.getTime() - 60_000))),
      ),
    );
  return { tokenId: row.id, actor };
}
