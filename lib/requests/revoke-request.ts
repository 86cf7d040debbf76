import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { changeRequests, users } from "@/db/schema";
import { assertRole } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { Conflict } from "../errors";
import { parseInput } from "../validation";
import { inTransaction, type VerbContext } from "../verb";
import { lockRequest } from "./load";
import { notifyPerson, requestUrl } from "./notify";
import { requestNumber } from "./schemas";
import { releaseCommitment } from "../budgets/commitments";

const Input = z.object({
  number: requestNumber,
  reason: z.string({ error: "Say why." }).trim().min(3, "Say why the approval is revoked.").max(2000),
});

/** Withdraws an approval after the fact (a problem found late): the gate closes at once. */
export async function revokeRequest(ctx: VerbContext, raw: unknown) {
  assertRole(ctx.actor, "ml_lead", "security", "admin");
  const input = parseInput(Input, raw);
  return inTransaction(ctx, async (tx) => {
    const request = await lockRequest(tx, input.number);
    if (request.status !== "approved" && request.status !== "deployed") {
      throw new Conflict(
        `CR-${request.number} is ${request.status.replace("_", " ")}: only an approved or deployed request can be revoked.`,
      );
    }
    const now = ctx.now ?? new Date();
    await tx
      .update(changeRequests)
      .set({ status: "revoked", revokedAt: now, updatedAt: now })
      .where(eq(changeRequests.id, request.id));
    await releaseCommitment(tx, request, "revoked", now);
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: "request.revoked",
        entityType: "change_request",
        entityId: request.id,
        data: { number: request.number, reason: input.reason },
      },
      now,
    );
    const [requester] = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(eq(users.id, request.requestedBy));
    const revokedBy =
      ctx.actor.kind === "user" ? (ctx.actor.name ?? ctx.actor.email) : `Greenlight (${ctx.actor.label})`;
    if (requester)
      await notifyPerson(tx, requester, "request-revoked", {
        number: request.number,
        title: request.title,
        revokedBy,
        reason: input.reason,
        url: requestUrl(request.number),
      });
    return { status: "revoked" as const };
  });
}
