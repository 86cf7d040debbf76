import "server-only";
import { z } from "zod";
import { apiTokens } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { Forbidden } from "../errors";
import { parseInput } from "../validation";
import { inTransaction, type VerbContext } from "../verb";
import { newToken } from "./hash";

const Input = z.object({
  name: z.string({ error: "Name the token." }).trim().min(2, "Name the token (what uses it).").max(80),
});

/** A bearer token that acts as its owner over /api/v1. The secret is returned once, never stored. */
export async function createToken(ctx: VerbContext & { owner?: { id: string; email: string } }, raw: unknown) {
  const input = parseInput(Input, raw);
  const owner = ctx.owner ?? (ctx.actor.kind === "user" ? { id: ctx.actor.id, email: ctx.actor.email } : null);
  if (!owner) throw new Forbidden("A token belongs to a person.");
  if (ctx.owner && ctx.actor.kind === "user" && ctx.actor.id !== ctx.owner.id)
    throw new Forbidden("You can create tokens for yourself only.");
  const { token, prefix, hash } = newToken();
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({ userId: owner.id, name: input.name, prefix, tokenHash: hash })
      .returning({ id: apiTokens.id, name: apiTokens.name, prefix: apiTokens.prefix, createdAt: apiTokens.createdAt });
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: "token.created",
        entityType: "api_token",
        entityId: row!.id,
        data: { owner: owner.email, name: input.name, prefix },
      },
      ctx.now,
    );
    return { ...row!, token };
  });
}
