import "server-only";
import { z } from "zod";
import { userRoles, users } from "@/db/schema";
import { assertRole } from "../auth/actor";
import { reassertRole } from "../auth/reassert";
import { recordAudit } from "../audit/record";
import { Conflict, isUniqueViolation } from "../errors";
import { parseInput } from "../validation";
import { inTransaction, type VerbContext } from "../verb";
import { email, role } from "./schemas";

const Input = z.object({
  email,
  name: z
    .string()
    .trim()
    .max(120, "Keep the name under 120 characters.")
    .optional()
    .transform((v) => v || null),
  roles: z.preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(role)),
});

/** Adds a person who may then sign in (by email link or SSO) with the given roles. */
export async function createUser(ctx: VerbContext, raw: unknown) {
  assertRole(ctx.actor, "admin");
  const input = parseInput(Input, raw);
  try {
    return await inTransaction(ctx, async (tx) => {
      await reassertRole(tx, ctx.actor, "admin");
      const [user] = await tx
        .insert(users)
        .values({ email: input.email, name: input.name })
        .returning({ id: users.id, email: users.email });
      const roles = [...new Set(input.roles)];
      if (roles.length) await tx.insert(userRoles).values(roles.map((r) => ({ userId: user!.id, role: r })));
      await recordAudit(
        tx,
        ctx.actor,
        { action: "user.created", entityType: "user", entityId: user!.id, data: { email: user!.email, roles } },
        ctx.now,
      );
      return user!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(`${input.email} already has an account.`);
    throw error;
  }
}
