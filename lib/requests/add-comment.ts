import "server-only";
import { inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { comments, users } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { Forbidden, ValidationError } from "../errors";
import { MENTIONS_PER_COMMENT } from "../rate-limit/limits";
import { defineVerb } from "../verb";
import { lockRequest } from "./load";
import { notifyPerson, requestUrl } from "./notify";
import { requestNumber } from "./schemas";

/** "@maya" or "@maya@example.com" mentions a person; they are told. */
export function mentionHandles(body: string): string[] {
  return [
    ...new Set(
      [...body.matchAll(/(?:^|[^\w@])@([a-z0-9._-]+(?:@[a-z0-9.-]+\.[a-z]{2,})?)/gi)].map((m) => m[1]!.toLowerCase()),
    ),
  ];
}

/** A comment on a request; the people it mentions are told. */
export const addComment = defineVerb({
  allow: "signed-in",
  peopleOnly: true,
  input: z.object({
    number: requestNumber,
    body: z
      .string({ error: "Write a comment." })
      .trim()
      .min(1, "Write a comment.")
      .max(5000, "Keep comments under 5,000 characters."),
  }),
  async run({ work, tx, actor, now }, input) {
    if (actor.kind !== "user") throw new Forbidden("Comments are written by people.");
    const request = await lockRequest(tx, input.number);
    const handles = mentionHandles(input.body);
    const mentioned = handles.some((h) => h.includes("@"))
      ? await tx
          .select({ id: users.id, email: users.email })
          .from(users)
          .where(
            inArray(
              sql<string>`lower(${users.email})`,
              handles.filter((h) => h.includes("@")),
            ),
          )
      : [];
    const byLocal = handles.filter((h) => !h.includes("@"));
    const local = byLocal.length
      ? await tx
          .select({ id: users.id, email: users.email })
          .from(users)
          .where(inArray(sql<string>`lower(split_part(${users.email}, '@', 1))`, byLocal))
      : [];
    const people = [...new Map([...mentioned, ...local].map((p) => [p.id, p])).values()].filter(
      (p) => p.id !== actor.id,
    );
    // Refused rather than cut to the first few: the author meant to reach everyone named, and a
    // silent cut would leave some of them untold. Handles that name nobody do not count.
    if (people.length > MENTIONS_PER_COMMENT) {
      const message = `Mention at most ${MENTIONS_PER_COMMENT} people in one comment (this one mentions ${people.length}); to reach a whole team, mention a few and share the link.`;
      throw new ValidationError(message, { body: [message] });
    }
    const [comment] = await tx
      .insert(comments)
      .values({
        requestId: request.id,
        authorId: actor.id,
        body: input.body,
        mentions: people.map((p) => p.email),
        createdAt: now,
      })
      .returning();
    // A long comment is cut for the email; the whole of it is one click away.
    const excerpt = input.body.length > 600 ? `${input.body.slice(0, 600).trimEnd()}…` : input.body;
    for (const person of people) {
      await notifyPerson(work, person, "comment-mention", {
        number: request.number,
        title: request.title,
        authorName: actor.name ?? actor.email,
        excerpt,
        url: requestUrl(request.number),
      });
    }
    await recordAudit(
      tx,
      actor,
      {
        action: "request.commented",
        entityType: "change_request",
        entityId: request.id,
        data: { number: request.number, commentId: comment!.id, mentions: people.map((p) => p.email) },
      },
      now,
    );
    return comment!;
  },
});
