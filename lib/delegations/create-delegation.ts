import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { delegations, teams, users } from "@/db/schema";
import { ROLES } from "@/db/schema/org";
import { recordAudit } from "../audit/record";
import { getEnv } from "../env";
import { Forbidden, ValidationError, type FieldErrors } from "../errors";
import { enqueueNotification } from "../notifications/enqueue";
import { defineVerb } from "../verb";
import { boundedDate, text } from "../validation";
import { email } from "../users/schemas";
import { mayDelegateRole } from "./permissions";
import { delegationView } from "./queries";
import { roleInWords, scopeInWords } from "./status";

const MAX_DAYS = 90;
const DAY = 86_400_000;
/** A form's empty choice ("any role", "any team") is no choice. */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

export const CreateDelegationInput = z.object({
  to: email,
  /** Absent or already past: from now. */
  startsAt: optional(boundedDate("Give a start date, or none to start now.")),
  endsAt: boundedDate("Give an end date."),
  reason: text({ max: 500, label: "The reason" }).default(""),
  /** Only steps of this role (one the delegator holds); absent: every role they hold. */
  role: optional(z.enum(ROLES, { error: "Choose one of your roles, or every role." })),
  /** Only requests of this team; absent: any team. */
  teamId: optional(z.uuid({ error: "Unknown team." })),
});

/** The window as it will run: a start already past means now; it must end later, within 90 days. */
function windowErrors(startsAt: Date, endsAt: Date, now: Date): FieldErrors | null {
  if (endsAt.getTime() <= now.getTime()) return { endsAt: ["The end is in the past: choose a time still to come."] };
  if (endsAt.getTime() <= startsAt.getTime())
    return { startsAt: ["The start must come before the end."], endsAt: ["The end must be after the start."] };
  if (endsAt.getTime() - startsAt.getTime() > MAX_DAYS * DAY)
    return { endsAt: [`Delegate for ${MAX_DAYS} days at most.`] };
  return null;
}

/**
 * Lets someone decide your approval steps for a while (holiday cover); their decisions say so. It
 * may be limited to one of your roles and to one team's requests; it starts now or later and ends
 * within 90 days, or earlier when ended (revokeDelegation).
 */
export const createDelegation = defineVerb({
  allow: "signed-in",
  peopleOnly: true,
  input: CreateDelegationInput,
  async run({ work, tx, actor, now }, input) {
    if (actor.kind !== "user") throw new Forbidden("Delegations are made by people.");
    const startsAt = !input.startsAt || input.startsAt.getTime() < now.getTime() ? now : input.startsAt;
    const window = windowErrors(startsAt, input.endsAt, now);
    if (window) throw new ValidationError("The delegation's window needs attention.", window);
    if (input.role && !mayDelegateRole(actor, input.role)) {
      const message = `You do not hold the ${roleInWords(input.role)} role: a delegation passes on only a role you hold.`;
      throw new ValidationError(message, { role: [message] });
    }
    const [team] = input.teamId
      ? await tx.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.id, input.teamId))
      : [];
    if (input.teamId && !team) throw new ValidationError("Unknown team.", { teamId: ["Unknown team."] });
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
        startsAt,
        endsAt: input.endsAt,
        reason: input.reason,
        role: input.role ?? null,
        teamId: team?.id ?? null,
        createdAt: now,
      })
      .returning({ id: delegations.id });
    const scope = input.role || team ? scopeInWords({ role: input.role ?? null, team: team ?? null }) : "";
    // Told in the same transaction: the delegate learns of the cover exactly when it exists.
    await enqueueNotification(work, {
      to: delegate.email,
      userId: delegate.id,
      template: "delegation-started",
      props: {
        delegatorName: actor.name ?? actor.email,
        startsAt: startsAt.toISOString(),
        endsAt: input.endsAt.toISOString(),
        reason: input.reason,
        scope,
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
        data: {
          to: delegate.email,
          startsAt,
          endsAt: input.endsAt,
          role: input.role ?? null,
          team: team ? { id: team.id, name: team.name } : null,
        },
      },
      now,
    );
    return (await delegationView(tx, row!.id))!;
  },
});
