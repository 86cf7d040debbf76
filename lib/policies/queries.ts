import "server-only";
import { asc, eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { approvalPolicies } from "@/db/schema";
import type { PolicyInput } from "./chain";

export async function listPolicies(db: Db) {
  return db.select().from(approvalPolicies).orderBy(asc(approvalPolicies.name));
}

export async function activePolicies(db: Db | Tx): Promise<PolicyInput[]> {
  const rows = await db.select().from(approvalPolicies).where(eq(approvalPolicies.active, true));
  return rows.map((p) => ({ id: p.id, name: p.name, version: p.version, active: p.active, definition: p.definition }));
}
