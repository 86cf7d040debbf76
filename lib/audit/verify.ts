import "server-only";
import { asc, gt } from "drizzle-orm";
import type { Db } from "@/db";
import { auditEvents } from "@/db/schema";
import { checkLink, GENESIS_HASH } from "./hash";

export type VerifyResult =
  | { ok: true; events: number; headHash: string }
  | { ok: false; events: number; firstBad: { seq: number; reason: string } };

/** Walks the whole chain in order and names the first event that does not hold. */
export async function verifyAuditChain(db: Db, pageSize = 2000): Promise<VerifyResult> {
  let expected = { seq: 1, prevHash: GENESIS_HASH };
  let checked = 0;
  for (;;) {
    const page = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.seq, expected.seq - 1))
      .orderBy(asc(auditEvents.seq))
      .limit(pageSize);
    for (const row of page) {
      const reason = checkLink({ ...row, occurredAt: row.occurredAt.toISOString() }, expected);
      if (reason) return { ok: false, events: checked, firstBad: { seq: row.seq, reason } };
      checked++;
      expected = { seq: row.seq + 1, prevHash: row.hash };
    }
    if (page.length < pageSize) return { ok: true, events: checked, headHash: expected.prevHash };
  }
}
