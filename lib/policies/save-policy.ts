import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db";
import { approvalPolicies, approvalPolicyVersions, type ApprovalPolicy } from "@/db/schema";
import type { PolicyDefinition } from "@/db/schema/governance";
import type { Actor } from "../auth/actor";
import type { AuditAction } from "../audit/actions";
import { recordAudit } from "../audit/record";
import { assertKnownEnvironments } from "../environments/queries";
import { Conflict, NotFound, PreconditionFailed } from "../errors";
import { defineVerb } from "../verb";
import { assertPolicyCanComplete } from "./check-capacity";
import { PolicyInputSchema } from "./schemas";
import { tellPolicyChange } from "./tell-policy-change";

export type PolicyWrite = { name: string; description: string; active: boolean; definition: PolicyDefinition };

/**
 * Writes one policy: version 1 when `current` is null, else the next version of it; records the
 * version row and the audit event in the caller's transaction. The editor, the API and `policies
 * apply` all save through here, so each change is a version and an audit event the same way.
 */
export async function writePolicyVersion(
  tx: Tx,
  actor: Actor,
  now: Date,
  input: PolicyWrite,
  current: ApprovalPolicy | null,
  action?: AuditAction,
): Promise<ApprovalPolicy> {
  // A condition naming no environment would never match: refused at save, whichever way it came.
  await assertKnownEnvironments(tx, input.definition.conditions.environments, "definition.conditions.environments");
  const actorId = actor.kind === "user" ? actor.id : null;
  const values = {
    name: input.name,
    description: input.description,
    active: input.active,
    definition: input.definition,
    updatedBy: actorId,
    updatedAt: now,
  };
  const [policy] = current
    ? await tx
        .update(approvalPolicies)
        .set({ ...values, version: current.version + 1 })
        .where(eq(approvalPolicies.id, current.id))
        .returning()
    : await tx.insert(approvalPolicies).values(values).returning();
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
      action: action ?? (current ? "policy.updated" : "policy.created"),
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
}

/** The policy row locked for a new version, refused when the caller's version is not the current one. */
export async function lockPolicyAt(
  tx: Tx,
  id: string,
  expected: { editorVersion?: number; ifMatch?: readonly number[] },
): Promise<ApprovalPolicy> {
  const [current] = await tx.select().from(approvalPolicies).where(eq(approvalPolicies.id, id)).for("update");
  if (!current) throw new NotFound("No such policy.");
  if (expected.ifMatch && !expected.ifMatch.includes(current.version)) {
    throw new PreconditionFailed(
      `"${current.name}" is at version ${current.version}, not the one If-Match named: nothing was saved. Read it again and retry.`,
    );
  }
  if (expected.editorVersion && expected.editorVersion !== current.version) {
    throw new Conflict(
      `Someone saved version ${current.version} of "${current.name}" while you were editing; reload and try again.`,
    );
  }
  return current;
}

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
    /** The versions an API caller's If-Match named: a stale write is a 412 (lib/http/conditional.ts). */
    ifMatch: z.array(z.number().int().min(0)).max(20).optional(),
  }),
  conflict: (input) => `A policy named "${input.name}" already exists.`,
  async run({ work, tx, actor, now }, input) {
    await assertPolicyCanComplete(tx, input.definition, input.active);
    const current = input.id
      ? await lockPolicyAt(tx, input.id, { editorVersion: input.expectedVersion, ifMatch: input.ifMatch })
      : null;
    const policy = await writePolicyVersion(tx, actor, now, input, current);
    await tellPolicyChange(work, actor, [policy.name]);
    return policy;
  },
});

/**
 * DELETE: deactivates a policy (a new version, inactive). Nothing is deleted: versions and the audit
 * trail stay, requests that were routed by it keep naming it, and it can be switched on again.
 * Deactivating an inactive policy changes nothing.
 */
export const deactivatePolicy = defineVerb({
  allow: ["admin"],
  input: z.object({ id: z.uuid("No such policy."), ifMatch: z.array(z.number().int().min(0)).max(20).optional() }),
  async run({ work, tx, actor, now }, input) {
    const current = await lockPolicyAt(tx, input.id, { ifMatch: input.ifMatch });
    if (!current.active) return { policy: current, changed: false };
    const policy = await writePolicyVersion(
      tx,
      actor,
      now,
      { ...current, active: false },
      current,
      "policy.deactivated",
    );
    await tellPolicyChange(work, actor, [policy.name]);
    return { policy, changed: true };
  },
});
