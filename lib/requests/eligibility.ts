import "server-only";
import type { Db } from "@/db";
import type { UserActor } from "../auth/actor";
import { activeDelegatorIds, countedPrincipals, currentSteps } from "./load";
import { loadPeople } from "../users/people";
import type { ChangeRequest } from "@/db/schema";
import { resolveStep, type Resolution } from "./resolve-step";

/** What the decide verb would say to this person right now (for showing or hiding the decision form). */
export async function decisionFor(
  db: Db,
  request: ChangeRequest,
  actor: UserActor,
  now = new Date(),
): Promise<Resolution | null> {
  const steps = await currentSteps(db, request.id, request.revision);
  const retro = request.status === "approved" && steps.some((s) => s.status === "pending");
  if (request.status !== "in_review" && !retro) return null;
  const delegatorIds = await activeDelegatorIds(db, actor.id, now);
  const [me, ...delegators] = await loadPeople(db, [actor.id, ...delegatorIds]);
  if (!me) return null;
  const facts = {
    requestedBy: request.requestedBy,
    teamId: request.teamId,
    emergency: request.emergency,
    environment: request.environment,
  };
  return resolveStep(
    steps,
    facts,
    me,
    delegators.filter((d) => d.id !== me.id),
    await countedPrincipals(db, request.id, request.revision),
  );
}
