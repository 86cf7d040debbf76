import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { apiTokens } from "@/db/schema";
import { hasRole } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { Conflict, Forbidden, NotFound } from "../errors";
import { defineVerb } from "../verb";
import { forgetCachedTokens } from "./authenticate";

/** Revokes a token at once: its next call is a 401. Its owner or an admin may. */
export const revokeToken = defineVerb({
  allow: "signed-in",
  input: z.object({ tokenId: z.uuid({ error: "Unknown token." }) }),
  async run({ work, tx, actor, now }, input) {
    // Whoever this changes, their tokens answer with the new state from the next call in this process.
    work.afterCommit(forgetCachedTokens);
    const [token] = await tx.select().from(apiTokens).where(eq(apiTokens.id, input.tokenId)).for("update");
    if (!token) throw new NotFound("No such token.");
    const own = actor.kind === "user" && actor.id === token.userId;
    if (!own && !hasRole(actor, "admin")) throw new Forbidden("You can revoke your own tokens only.");
    const [revoked] = await tx
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.id, token.id), isNull(apiTokens.revokedAt)))
      .returning();
    if (!revoked) throw new Conflict("This token is already revoked.");
    await recordAudit(
      tx,
      actor,
      {
        action: "token.revoked",
        entityType: "api_token",
        entityId: token.id,
        data: { name: token.name, prefix: token.prefix },
      },
      now,
    );
    return { revoked: true };
  },
});
