import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { approvalPolicies, approvalPolicyVersions } from "@/db/schema";
import { assertRole } from "../auth/actor";
import { reassertRole } from "../auth/reassert";
import { recordAudit } from "../audit/record";
import { Conflict, isUniqueViolation, NotFound } from "../errors";
import { parseInput } from "../validation";
import { inTransaction, type VerbContext } from "../verb";
import { PolicyInputSchema } from "./schemas";

const Input = PolicyInputSchema.extend({
  id: z.uuid().optional(),
  /** The version the editor started from: saving over someone else's newer edit is a 409. */
  expectedVersion: z.coerce.number().int().positive().optional(),
});

/** Creates a policy (version 1) or saves a new version of one. Requests in flight keep their snapshot. */
export async function savePolicy(ctx: VerbContext, raw: unknown) {
  assertRole(ctx.actor, "admin");
  const input = parseInput(Input, raw);
  const actorId = ctx.actor.kind === "user" ? ctx.actor.id : null;
  try {
    return await inTransaction(ctx, async (tx) => {
      await reassertRole(tx, ctx.actor, "admin");
      const now = ctx.now ?? new Date();
      let policy;
      if (!input.id) {
        [policy] = await tx
          .insert(approvalPolicies)
          .values({
            name: input.name,
            description: input.description,
            active: input.active,
            definition: input.definition,
            updatedBy: actorId,
            updatedAt: now,
          })
          .returning();
      } else {
        const [current] = await tx
          .select()
          .from(approvalPolicies)
          .where(eq(approvalPolicies.id, input.id))
          .for("update");
        if (!current) throw new NotFound("No such policy.");
        if (input.expectedVersion && input.expectedVersion !== current.version) {
          throw new Conflict(
            `Someone saved version ${current.version} of "${current.name}" while you were editing; reload and try again.`,
          );
        }
        [policy] = await tx
          .update(approvalPolicies)
          .set({
            name: input.name,
            description: input.description,
            active: input.active,
            definition: input.definition,
            version: current.version + 1,
            updatedBy: actorId,
            updatedAt: now,
          })
          .where(eq(approvalPolicies.id, current.id))
          .returning();
      }
      await tx.insert(approvalPolicyVersions).values({
        policyId: policy!.id,
        version: policy!.version,
        name: policy!.name,
        active: policy!.active,
        definition: policy!.definition,
        createdBy: actorId,
        createdAt: now,
      });
      await recordAudit(
        tx,
        ctx.actor,
        {
          action: input.id ? "policy.updated" : "policy.created",
          entityType: "policy",
          entityId: policy!.id,
          data: {
            name: policy!.name,
            version: policy!.version,
            active: policy!.active,
            definition: policy!.definition,
          },
        },
        now,
      );
      return policy!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(`A policy named "${input.name}" already exists.`);
    throw error;
  }
}
