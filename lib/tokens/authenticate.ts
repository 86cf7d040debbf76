import "server-only";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "@/db";
import { apiTokens } from "@/db/schema";
import { loadActor } from "../auth/load-actor";
import { hashToken } from "./hash";

type Found = { actor: Extract<Awaited<ReturnType<typeof loadActor>>, object>; tokenId: string };

/**
 * How long a token's owner, as read, answers for it in this process. A CI pipeline asking the gate in
 * a loop would otherwise cost four reads per call before any work; the bound is what "a revoked token
 * or a deactivated owner stops working" may wait for. Verbs re-read the actor inside their transaction
 * anyway, so a role taken away is refused there at once.
 */
export const TOKEN_CACHE_MS = 1_000;
const CACHE_LIMIT = 10_000;
const cache = new Map<string, { found: Found; until: number }>();

/** Forgets every cached owner: a verb that revokes a token or changes a person calls it on commit. */
export function forgetCachedTokens(): void {
  cache.clear();
}

/** The active owner of a bearer token and the token's id, or null (unknown, revoked, or owner deactivated). */
export async function actorForToken(db: Db, token: string, now = Date.now()) {
  if (!token.startsWith("glt_") || token.length > 200) return null;
  const hash = hashToken(token);
  const hit = cache.get(hash);
  if (hit && hit.until > now) return hit.found;
  cache.delete(hash);
  const found = await readToken(db, hash);
  if (found) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(hash, { found, until: now + TOKEN_CACHE_MS });
  }
  return found;
}

async function readToken(db: Db, hash: string): Promise<Found | null> {
  const [row] = await db
    .select({ id: apiTokens.id, userId: apiTokens.userId })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt)));
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
  return { actor, tokenId: row.id };
}
