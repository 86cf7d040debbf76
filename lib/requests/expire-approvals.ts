import "server-only";
import { and, eq, lte } from "drizzle-orm";
import type { Db } from "@/db";
import { changeRequests } from "@/db/schema";
import { systemActor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { releaseCommitment } from "../budgets/commitments";
import { inUnitOfWork } from "../verb";
import { notifyApprovalExpired } from "./notify-outcomes";
import { revokeReceipts } from "./receipts";

/** Approved but not deployed in time: the approval lapses (the gate already treats it as closed). */
export async function expireApprovals(db: Db, now = new Date()) {
  return inUnitOfWork(
    db,
    async (work) => {
      const { tx } = work;
      const expired = await tx
        .update(changeRequests)
        .set({ status: "expired", updatedAt: now })
        .where(and(eq(changeRequests.status, "approved"), lte(changeRequests.approvalExpiresAt, now)))
        .returning({
          id: changeRequests.id,
          number: changeRequests.number,
          title: changeRequests.title,
          requestedBy: changeRequests.requestedBy,
          environment: changeRequests.environment,
          modelVersionId: changeRequests.modelVersionId,
        });
      for (const r of expired) {
        await releaseCommitment(tx, r, "approval expired", now);
        await revokeReceipts(tx, r.id, "approval expired", now);
        await recordAudit(
          tx,
          systemActor("expiry"),
          { action: "request.expired", entityType: "change_request", entityId: r.id, data: { number: r.number } },
          now,
        );
        await notifyApprovalExpired(work, r);
      }
      return expired.length;
    },
    { now },
  );
}
