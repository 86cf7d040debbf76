import "server-only";
import type { Db, Tx } from "@/db";
import type { ChangeRequest } from "@/db/schema";
import type { UserActor } from "../auth/actor";
import { delegationsInForceTo } from "../delegations/queries";
import { loadPeople } from "../users/people";
import { approvalFacts, castDecisions, currentSteps, withConflicts } from "./load";
import { resolveStep, type Resolution } from "./resolve-step";
import { owesRetro } from "./retro";

/**
 * Everything the approval rules look at for one person on one request, as of now: the chain with
 * its conflicts, the request's facts, the person, the delegations to them in force (share-locked
 * with `lock`, as the decide verb asks) and the decisions already counted on this revision. The
 * decide verb and the request page both read it here, so what the page offers is what the verb does.
 */
export async function decisionContext(
  tx: Db | Tx,
  request: ChangeRequest,
  actorId: string,
  now: Date,
  options: { lock?: boolean } = {},
) {
  const [rows, facts, [me], grants, cast] = await Promise.all([
    currentSteps(tx, request.id, request.revision),
    approvalFacts(tx, request),
    loadPeople(tx, [actorId]),
    delegationsInForceTo(tx, actorId, now, options),
    castDecisions(tx, [request]),
  ]);
  const steps = await withConflicts(tx, rows);
  return { steps, facts, me: me ?? null, grants, cast: cast.get(request.id) ?? [] };
}
export type DecisionContext = Awaited<ReturnType<typeof decisionContext>>;

/** The rule applied to a context (lib/requests/resolve-step.ts); null when the person is not active. */
export function resolveIn(context: DecisionContext, stepId?: string): Resolution | null {
  if (!context.me) return null;
  return resolveStep(context.steps, context.facts, context.me, context.grants, context.cast, stepId);
}

/** What the decide verb would say to this person right now (for showing or hiding the decision form). */
export async function decisionFor(
  db: Db,
  request: ChangeRequest,
  actor: UserActor,
  now = new Date(),
): Promise<Resolution | null> {
  if (!["in_review", "approved", "deployed"].includes(request.status)) return null;
  const context = await decisionContext(db, request, actor.id, now);
  if (request.status !== "in_review" && !owesRetro(request.status, context.steps)) return null;
  return resolveIn(context);
}
