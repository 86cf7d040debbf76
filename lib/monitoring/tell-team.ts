import "server-only";
import { and, eq } from "drizzle-orm";
import { users } from "@/db/schema";
import type { MonitoringAction } from "@/db/schema/monitoring";
import { notifyPerson, requestUrl } from "../requests/notify";
import { holdersOf } from "../users/people";
import type { UnitOfWork } from "../verb";
import type { AlertTarget } from "./rules";
import type { ReceivedAlert } from "./schemas";

/** The requester and the ML leads hear that an alert opened a request, or fired again on it. */
export async function tellTeam(
  work: UnitOfWork,
  request: { number: number; title: string; requestedBy: string },
  alert: ReceivedAlert,
  target: AlertTarget & { version: string },
  action: MonitoringAction,
  happened: "opened" | "again",
) {
  const [requester] = await work.tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(eq(users.id, request.requestedBy), eq(users.active, true)));
  const leads = await holdersOf(work.tx, "ml_lead");
  const people = new Map([...(requester ? [requester] : []), ...leads].map((p) => [p.id, p]));
  const summary = alert.annotations.summary ?? alert.annotations.description ?? "";
  for (const person of people.values()) {
    await notifyPerson(work, person, "monitoring-alert", {
      number: request.number,
      title: request.title,
      alert: alert.name,
      model: target.model,
      version: target.version,
      environment: target.environment,
      action,
      happened,
      summary: summary.slice(0, 2000),
      link: alert.generatorUrl ?? "",
      url: requestUrl(request.number),
    });
  }
}
