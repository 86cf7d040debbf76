import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db";

/** Serialises budget changes per team (creating periods, checking overlaps) for the transaction. */
export async function lockTeamBudgets(tx: Tx, teamId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`greenlight:budgets:${teamId}`}))`);
}
