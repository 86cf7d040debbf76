import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { delegations, users } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { getEnv } from "../env";
import { Forbidden, ValidationError } from "../errors";
import { enqueueNotification } from "../notifications/enqueue";
import { defineVerb } from "../verb";
import { email } from "../users/schemas";

/** Lets someone decide your approval steps for a while (holiday cover); their decisions say so. */
export const createDelegation = defineVerb({
  allow: "signed-in",
  peopleOnly: true,
  input: z
    .object({
      to: email,
      startsAt: z.coerce.date({ error: "Give a start date." }),
      endsAt: z.coerce.date({ error: "Give an end date." }),
      reason: z.string().trim().max(500).default(""),
    })
    .refine((v) => v.endsAt > v.startsAt, { path: ["endsAt"], message: "The end must be after the start." })
    .refine((v) => v.endsAt.getTime() - v.startsAt.getTime() <= 90 * 86_400_000, {
      path: ["endsAt"],
      message: "Delegate for 90 days at most.",
    }),
  async run({ work, tx, actor, now }, input) {
    if (actor.kind !== "user") throw new Forbidden("Delegations are made by people.");
    const [delegate] = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(and(eq(users.email, input.to), eq(users.active, true)));
    if (!delegate)
      throw new ValidationError("No active user with that email.", { to: ["No active user with that email."] });
    if (delegate.id === actor.id)
      throw new ValidationError("Delegate to someone else.", { to: ["Delegate to someone else."] });
    const [row] = await tx
      .insert(delegations)
      .values({
        fromUserId: actor.id,
        toUserId: delegate.id,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        reason: input.reason,
      })
      .returning();
    // Told in the same transaction: the delegate learns of the cover exactly when it exists.
    await enqueueNotification(work, {
      to: delegate.email,
      userId: delegate.id,
      template: "delegation-started",
      props: {
        delegatorName: actor.name ?? actor.email,
        startsAt: input.startsAt.toISOString(),
        endsAt: input.endsAt.toISOString(),
        reason: input.reason,
        url: `${getEnv().appUrl}/inbox`,
      },
    });
    await recordAudit(
      tx,
      actor,
      {
        action: "delegation.created",
        entityType: "delegation",
        entityId: row!.id,
        data: { to: delegate.email, startsAt: input.startsAt, endsAt: input.endsAt },
      },
      now,
    );
    return row!;
  },
});
