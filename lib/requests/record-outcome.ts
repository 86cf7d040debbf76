import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { changeRequests } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { Conflict, Forbidden } from "../errors";
import { OUTCOME_LABELS, statusInWords } from "../labels";
import { defineVerb } from "../verb";
import { lockRequest } from "./load";
import { mayCloseDeployment } from "./permissions";
import { requestNumber } from "./schemas";

// rolled_back is not offered here: saying so without making the previous version live again would
// leave the live table telling a story that is not true. The rollback verb records it.
const CLOSING_OUTCOMES = ["successful", "successful_with_issues"] as const;

export const RecordOutcomeInput = z
  .object({
    number: requestNumber,
    outcome: z.string({ error: "Say how the deployment went." }).pipe(
      z.enum(CLOSING_OUTCOMES, {
        error: (issue) =>
          issue.input === "rolled_back"
            ? "Roll back from the model's environment instead: that makes the previous version live again and records the outcome."
            : "The outcome is successful or successful_with_issues.",
      }),
    ),
    note: z.string().trim().max(2000, "Keep the note under 2000 characters.").default(""),
  })
  .superRefine((v, ctx) => {
    if (v.outcome === "successful_with_issues" && v.note.length < 3)
      ctx.addIssue({ code: "custom", path: ["note"], message: "Say what the issues were." });
  });

/** Closes a deployed request with how it went (once), by its requester, an ML lead or an admin. */
export const recordOutcome = defineVerb({
  allow: "signed-in",
  input: RecordOutcomeInput,
  async run({ tx, actor, now }, input) {
    const request = await lockRequest(tx, input.number);
    if (actor.kind === "user" && !mayCloseDeployment(actor, request))
      throw new Forbidden("Only the requester or an ML lead can record how the deployment went.");
    if (request.status !== "deployed")
      throw new Conflict(
        `CR-${request.number} is ${statusInWords(request.status)}: only a deployed request is closed with an outcome.`,
      );
    if (request.outcome)
      throw new Conflict(`CR-${request.number} was already closed: ${OUTCOME_LABELS[request.outcome].toLowerCase()}.`);
    const by = actor.kind === "user" ? actor.id : null;
    await tx
      .update(changeRequests)
      .set({ outcome: input.outcome, outcomeNote: input.note || null, outcomeAt: now, outcomeBy: by, updatedAt: now })
      .where(eq(changeRequests.id, request.id));
    await recordAudit(
      tx,
      actor,
      {
        action: "request.outcome_recorded",
        entityType: "change_request",
        entityId: request.id,
        data: { number: request.number, outcome: input.outcome, note: input.note },
      },
      now,
    );
    return { status: request.status, outcome: input.outcome };
  },
});
