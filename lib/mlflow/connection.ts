import "server-only";
import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { mlflowConnections, type MlflowConnection } from "@/db/schema";

/** The installation's one connection (slot "default"), or null when none is saved. */
export async function loadConnection(db: Db | Tx): Promise<MlflowConnection | null> {
  const [row] = await db.select().from(mlflowConnections).where(eq(mlflowConnections.slot, "default"));
  return row ?? null;
}
