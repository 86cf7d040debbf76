import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { apiTokens, users } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { Forbidden, ValidationError } from "../errors";
import { defineVerb } from "../verb";
import { newToken } from "./hash";

/**
 * A bearer token that acts as its owner over /api/v1. The secret is returned once, never stored.
 * A person makes tokens for themselves; the operator at the CLI (the system actor) names the owner.
 */
export const createToken = defineVerb({
  allow: "signed-in",
  input: z.object({
    name: z.string({ error: "Name the token." }).trim().min(2, "Name the token (what uses it).").max(80),
    ownerId: z.uuid({ error: "Unknown user." }).optional(),
  }),
  async run({ tx, actor, now }, input) {
    if (actor.kind === "user" && input.ownerId && input.ownerId !== actor.id) {
      throw new Forbidden("You can create tokens for yourself only.");
    }
    const ownerId = input.ownerId ?? (actor.kind === "user" ? actor.id : null);
    if (!ownerId) throw new Forbidden("A token belongs to a person.");
    const [owner] = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(and(eq(users.id, ownerId), eq(users.active, true)));
    if (!owner)
      throw new ValidationError("No active user with that id.", { ownerId: ["No active user with that id."] });
    const { token, prefix, hash } = newToken();
    const [row] = await tx
      .insert(apiTokens)
      .values({ userId: owner.id, name: input.name, prefix, tokenHash: hash })
      .returning({ id: apiTokens.id, name: apiTokens.name, prefix: apiTokens.prefix, createdAt: apiTokens.createdAt });
    await recordAudit(
      tx,
      actor,
      {
        action: "token.created",
        entityType: "api_token",
        entityId: row!.id,
        data: { owner: owner.email, name: input.name, prefix },
      },
      now,
    );
    return { ...row!, token };
  },
});
