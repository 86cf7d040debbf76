import "server-only";
import { asc } from "drizzle-orm";
import type { Tx } from "@/db";
import { environments } from "@/db/schema";

/**
 * Every environment, locked for the rest of the transaction. The order rules span rows (a later
 * environment names an earlier one), so two admins' changes are checked one after the other.
 */
export async function lockEnvironments(tx: Tx) {
  return tx.select().from(environments).orderBy(asc(environments.name)).for("update");
}
