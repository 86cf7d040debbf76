import "server-only";
import { and, eq, gt, isNull } from "drizzle-orm";
import { z } from "zod";
import { delegations, users } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { permit } from "../auth/permit";
import { getEnv } from "../env";
import { Conflict, Forbidden, NotFound } from "../errors";
import { enqueueNotification } from "../notifications/enqueue";
import { defineVerb } from "../verb";
import { mayEndDelegation } from "./permissions";
import { delegationView } from "./queries";
import { delegationStatus, scopeInWords } from "./status";

/**
 * Ends a delegation now, before its window runs out (or cancels one that has not started): from
 * this moment the delegate decides nothing more for the delegator. The delegator, the delegate or an
 * admin may. Decisions already made under it stand. The row is locked, so a decision relying on the
 * delegation (which share-locks it) finishes first, or sees it ended.
 */
export const revokeDelegation = defineVerb({
  allow: "signed-in",
  peopleOnly: true,
  input: z.object({ delegationId: z.uuid({ error: "Unknown delegation." }) }),
  async run({ work, tx, actor, now }, input) {
    if (actor.kind !== "user") throw new Forbidden("Delegations are ended by people.");
    const [row] = await tx.select().from(delegations).where(eq(delegations.id, input.delegationId)).for("update");
    if (!row) throw new NotFound("No such delegation.");
    permit(
      mayEndDelegation(actor, row),
      "Only the person who gave this delegation, the person who received it, or an admin can end it.",
    );
    const status = delegationStatus(row, now);
    if (status === "ended_early") throw new Conflict("This delegation was already ended early.");
    if (status === "ended") throw new Conflict("This delegation has already ended: its window ran out.");
    const [ended] = await tx
      .update(delegations)
      .set({ revokedAt: now, revokedBy: actor.id })
      .where(and(eq(delegations.id, row.id), isNull(delegations.revokedAt), gt(delegations.endsAt, now)))
      .returning({ id: delegations.id });
    if (!ended) throw new Conflict("This delegation has already ended.");
    const view = (await delegationView(tx, row.id))!;

    await recordAudit(
      tx,
      actor,
      {
        action: "delegation.revoked",
        entityType: "delegation",
        entityId: row.id,
        data: {
          from: view.from.email,
          to: view.to.email,
          role: view.role,
          team: view.team,
          startsAt: row.startsAt,
          plannedEnd: row.endsAt,
          endedAt: now,
          before: status,
        },
      },
      now,
    );

    // Whoever did not end it is told: the delegate that their cover is over, the delegator that their
    // steps are theirs alone again.
    const name = (p: { name: string | null; email: string }) => p.name ?? p.email;
    const props = {
      delegatorName: name(view.from),
      delegateName: name(view.to),
      endedByName: name(actor),
      endedAt: now.toISOString(),
      plannedEnd: row.endsAt.toISOString(),
      scope: view.role || view.team ? scopeInWords(view) : "",
      url: `${getEnv().appUrl}/settings`,
    };
    const told = [
      { person: view.to, recipient: "delegate" as const },
      { person: view.from, recipient: "delegator" as const },
    ].filter((t) => t.person.id !== actor.id);
    for (const { person, recipient } of told) {
      const [active] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.id, person.id), eq(users.active, true)));
      if (!active) continue;
      await enqueueNotification(work, {
        to: person.email,
        userId: person.id,
        template: "delegation-ended",
        props: { ...props, recipient },
      });
    }
    return view;
  },
});
