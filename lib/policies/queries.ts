import "server-only";
import { asc, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "@/db";
import { approvalPolicies, approvalPolicyVersions } from "@/db/schema";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { listEnvironments } from "../environments/queries";
import { listTeams } from "../teams/queries";
import { loadDeciders } from "../users/people";
import { mayAdminister } from "../users/permissions";
import { NotFound } from "../errors";
import { exportPolicyDocument, type PolicyFormat } from "./as-code";
import type { PolicyInput } from "./chain";

export async function listPolicies(db: Db) {
  return db.select().from(approvalPolicies).orderBy(asc(approvalPolicies.name));
}

/** Every policy with the teams their conditions may name, for the admin area. */
export async function readPolicies(ctx: UserContext) {
  permit(mayAdminister(ctx.actor), "This needs the admin role.");
  const [policies, teams, deciders, environments] = await Promise.all([
    listPolicies(ctx.db),
    listTeams(ctx.db),
    loadDeciders(ctx.db),
    listEnvironments(ctx.db, { archived: true }),
  ]);
  // Who holds which role in which team: the editor counts who could decide each step as it is edited.
  const people = deciders.map((p) => ({ name: p.name, roles: p.roles, teamIds: p.teamIds }));
  return { policies, teams, people, environments: environments.map((e) => e.name) };
}

export async function activePolicies(db: Db | Tx): Promise<PolicyInput[]> {
  const rows = await db.select().from(approvalPolicies).where(eq(approvalPolicies.active, true));
  return rows.map((p) => ({ id: p.id, name: p.name, version: p.version, active: p.active, definition: p.definition }));
}

/** One policy with every version it has had (newest first), for the API; admins only. */
export async function readPolicy(ctx: UserContext, input: { id: string }) {
  permit(mayAdminister(ctx.actor), "This needs the admin role.");
  const id = z.uuid().safeParse(input.id);
  if (!id.success) throw new NotFound("No such policy.");
  const [policy] = await ctx.db.select().from(approvalPolicies).where(eq(approvalPolicies.id, id.data));
  if (!policy) throw new NotFound("No such policy.");
  const versions = await ctx.db
    .select()
    .from(approvalPolicyVersions)
    .where(eq(approvalPolicyVersions.policyId, policy.id))
    .orderBy(desc(approvalPolicyVersions.version))
    .limit(500);
  return { policy, versions };
}

/** Every policy as one document (policies as code), for `policies export` and GET /api/v1/policies/export. */
export async function readPolicyDocumentExport(ctx: UserContext, format: PolicyFormat) {
  permit(mayAdminister(ctx.actor), "This needs the admin role.");
  return exportAll(ctx.db, format);
}

export async function exportAll(db: Db, format: PolicyFormat) {
  const [policies, teamRows] = await Promise.all([listPolicies(db), listTeams(db)]);
  return exportPolicyDocument(policies, teamRows, format);
}
