import type { ApprovalPolicy } from "@/db/schema";
import type { approvalPolicyVersions } from "@/db/schema";

type PolicyVersion = typeof approvalPolicyVersions.$inferSelect;

/** A policy's ETag: its version, strong (RFC 9110 §8.8.3); PUT and DELETE take it back in If-Match. */
export const policyEtag = (version: number) => `"${version}"`;

export function policyJson(p: ApprovalPolicy) {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    version: p.version,
    active: p.active,
    definition: p.definition,
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function policyVersionJson(v: PolicyVersion) {
  return {
    version: v.version,
    name: v.name,
    active: v.active,
    definition: v.definition,
    createdBy: v.createdBy,
    createdAt: v.createdAt.toISOString(),
  };
}
