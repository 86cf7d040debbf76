import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { approvalPolicies, approvalPolicyVersions } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { assertKnownEnvironments } from "../environments/queries";
import { Conflict, NotFound } from "../errors";
import { defineVerb } from "../verb";
import { assertPolicyCanComplete } from "./check-capacity";
import { PolicyInputSchema } from "./schemas";

/**
 * Creates a policy (version 1) or saves a new version of one. Requests in flight keep their snapshot.
 * An active policy whose chain could never complete with the organisation's people is refused (400).
 */
export const savePolicy = defineVerb({
  allow: ["admin"],
  input: PolicyInputSchema.extend({
    id: z.uuid().optional(),
    /** The version the editor started from: saving over someone else's newer edit is a 409. */
    expectedVersion: z.coerce.number().int().positive().optional(),
  }),
  conflict: (input) => `A policy named "${input.name}" already exists.`,
  async run({ tx, actor, now }, input) {
    const actorId = actor.kind === "user" ? actor.id : null;
    await assertKnownEnvironments(tx, input.definition.conditions.environments, "definition.conditions.environments");
    await assertPolicyCanComplete(tx, input.definition, input.active);
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
      const [current] = await tx.select().from(approvalPolicies).where(eq(approvalPolicies.id, input.id)).for("update");
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
      actor,
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
  },
});
