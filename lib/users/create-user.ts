import "server-only";
import { z } from "zod";
import { userRoles, users } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { defineVerb } from "../verb";
import { email, role } from "./schemas";

/** Adds a person who may then sign in (by email link or SSO) with the given roles. */
export const createUser = defineVerb({
  allow: ["admin"],
  input: z.object({
    email,
    name: z
      .string()
      .trim()
      .max(120, "Keep the name under 120 characters.")
      .optional()
      .transform((v) => v || null),
    roles: z.preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(role)),
  }),
  conflict: (input) => `${input.email} already has an account.`,
  async run({ tx, actor, now }, input) {
    const [user] = await tx
      .insert(users)
      .values({ email: input.email, name: input.name })
      .returning({ id: users.id, email: users.email });
    const roles = [...new Set(input.roles)];
    if (roles.length) await tx.insert(userRoles).values(roles.map((r) => ({ userId: user!.id, role: r })));
    await recordAudit(
      tx,
      actor,
      { action: "user.created", entityType: "user", entityId: user!.id, data: { email: user!.email, roles } },
      now,
    );
    return user!;
  },
});
