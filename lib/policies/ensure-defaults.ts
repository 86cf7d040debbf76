import "server-only";
import { count, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { approvalPolicies, approvalPolicyVersions } from "@/db/schema";
import { systemActor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { SEED_POLICIES } from "./seed-policies";

/**
 * A new installation starts with the default policies, so no request is ever approved by an empty
 * chain just because nobody wrote policies yet. Runs once: an installation that has any policy
 * (even one its admins deactivated) is left alone.
 */
export async function ensureDefaultPolicies(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('greenlight:policies'))`);
    const [existing] = await tx.select({ n: count() }).from(approvalPolicies);
    if ((existing?.n ?? 0) > 0) return 0;
    for (const p of SEED_POLICIES) {
      const [policy] = await tx
        .insert(approvalPolicies)
        .values({ name: p.name, description: p.description, definition: p.definition })
        .returning();
      await tx
        .insert(approvalPolicyVersions)
        .values({ policyId: policy!.id, version: 1, name: p.name, active: true, definition: p.definition });
      await recordAudit(tx, systemActor("setup"), {
        action: "policy.created",
        entityType: "policy",
        entityId: policy!.id,
        data: { name: p.name, version: 1, definition: p.definition },
      });
    }
    return SEED_POLICIES.length;
  });
}
