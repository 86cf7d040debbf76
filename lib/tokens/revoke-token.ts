import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { apiTokens } from "@/db/schema";
import { hasRole } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { Conflict, Forbidden, NotFound } from "../errors";
import { parseInput } from "../validation";
import { inTransaction, type VerbContext } from "../verb";

const Input = z.object({ tokenId: z.uuid({ error: "Unknown token." }) });

export async function revokeToken(ctx: VerbContext, raw: unknown) {
  const input = parseInput(Input, raw);
  return inTransaction(ctx, async (tx) => {
    const [token] = await tx.select().from(apiTokens).where(eq(apiTokens.id, input.tokenId)).for("update");
    if (!token) throw new NotFound("No such token.");
    const own = ctx.actor.kind === "user" && ctx.actor.id === token.userId;
    if (!own && !hasRole(ctx.actor, "admin")) throw new Forbidden("You can revoke your own tokens only.");
    const now = ctx.now ?? new Date();
    const [revoked] = await tx
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.id, token.id), isNull(apiTokens.revokedAt)))
      .returning();
    if (!revoked) throw new Conflict("This token is already revoked.");
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: "token.revoked",
        entityType: "api_token",
        entityId: token.id,
        data: { name: token.name, prefix: token.prefix },
      },
      now,
    );
    return { revoked: true };
  });
}
