import "server-only";
import type { Tx } from "@/db";
import type { ChangeRequest, RequestStep } from "@/db/schema";
import { getEnv } from "../env";
import { enqueueNotification } from "../notifications/enqueue";
import { holdersOf } from "./load";

const requestUrl = (number: number) => `${getEnv().appUrl}/requests/${number}`;

/** Tells everyone who may decide these steps that their decision is needed (never the requester). */
export async function notifyApprovers(tx: Tx, request: ChangeRequest, steps: RequestStep[], headline: (step: RequestStep) => string, body = "") {
  const told = new Set<string>();
  for (const step of steps) {
    const people = await holdersOf(tx, step.role, step.scope === "requester_team" ? request.teamId : undefined);
    for (const person of people) {
      if (person.id === request.requestedBy || told.has(person.id)) continue;
      told.add(person.id);
      await enqueueNotification(tx, {
        to: person.email,
        userId: person.id,
        template: "request-update",
        props: {
          number: request.number,
          title: request.title,
          headline: headline(step),
          body: body || `${step.name} is due within ${step.slaHours} hours.`,
          url: requestUrl(request.number),
          actionLabel: "Review the request",
        },
      });
    }
  }
  return told.size;
}

export async function notifyPerson(
  tx: Tx,
  request: Pick<ChangeRequest, "number" | "title">,
  person: { id: string; email: string },
  headline: string,
  body = "",
) {
  await enqueueNotification(tx, {
    to: person.email,
    userId: person.id,
    template: "request-update",
    props: { number: request.number, title: request.title, headline, body, url: requestUrl(request.number) },
  });
}
