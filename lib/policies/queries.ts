import "server-only";
import { asc, eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { approvalPolicies } from "@/db/schema";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { listEnvironments } from "../environments/queries";
import { listTeams } from "../teams/queries";
import { mayAdminister } from "../users/permissions";
import type { PolicyInput } from "./chain";

export async function listPolicies(db: Db) {
  return db.select().from(approvalPolicies).orderBy(asc(approvalPolicies.name));
}

/** Every policy with the teams their conditions may name, for the admin area. */
export async function readPolicies(ctx: UserContext) {
  permit(mayAdminister(ctx.actor), "This needs the admin role.");
  const [policies, teams, environments] = await Promise.all([
    listPolicies(ctx.db),
    listTeams(ctx.db),
    listEnvironments(ctx.db, { archived: true }),
  ]);
  return { policies, teams, environments: environments.map((e) => e.name) };
}

export async function activePolicies(db: Db | Tx): Promise<PolicyInput[]> {
  const rows = await db.select().from(approvalPolicies).where(eq(approvalPolicies.active, true));
  return rows.map((p) => ({ id: p.id, name: p.name, version: p.version, active: p.active, definition: p.definition }));
}
