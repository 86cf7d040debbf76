import "server-only";
import { asc, desc } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { auditCheckpoints, type AuditCheckpointRow } from "@/db/schema";
import type { AuditCheckpoint } from "./checkpoint";

function asCheckpoint(row: AuditCheckpointRow): AuditCheckpoint {
  return {
    seq: row.seq,
    hash: row.hash,
    createdAt: row.createdAt.toISOString(),
    keyId: row.keyId,
    signature: row.signature,
  };
}

/** Every stored checkpoint, oldest first (one an hour at most: a few thousand a year). */
export async function listCheckpoints(db: Db | Tx): Promise<AuditCheckpoint[]> {
  const rows = await db.select().from(auditCheckpoints).orderBy(asc(auditCheckpoints.seq));
  return rows.map(asCheckpoint);
}

export async function latestCheckpoint(db: Db | Tx): Promise<AuditCheckpoint | null> {
  const [row] = await db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.seq)).limit(1);
  return row ? asCheckpoint(row) : null;
}
