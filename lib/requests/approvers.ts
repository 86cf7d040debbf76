import "server-only";
import type { Db, Tx } from "@/db";
import type { ChangeRequest, RequestStep } from "@/db/schema";
import { holdersOf } from "../users/people";
import { approvalFacts, castDecisions, withConflicts } from "./load";
import { barredFrom, seatOf } from "./resolve-step";

/**
 * Who may take each step's seat, by step id: the active holders of its role (of the requester's
 * team for a team step), less everyone the rules bar (the requester, the version's author, the
 * step's conflicts) and, while the step waits, anyone whose seat on this revision is already taken.
 * The request page lists them; the approvers told about a step are these, so nobody is asked for a
 * decision the decide verb would refuse. (Delegates are not listed: they act under someone's seat.)
 */
export async function seatHolders(
  tx: Db | Tx,
  request: ChangeRequest,
  steps: RequestStep[],
): Promise<Map<string, { id: string; email: string; name: string | null }[]>> {
  const [chain, facts, cast] = await Promise.all([
    withConflicts(tx, steps),
    approvalFacts(tx, request),
    castDecisions(tx, [request]),
  ]);
  const seats = cast.get(request.id) ?? [];
  const byStep = new Map<string, { id: string; email: string; name: string | null }[]>();
  for (const step of chain) {
    const holders = await holdersOf(tx, step.role, step.scope === "requester_team" ? request.teamId : undefined);
    const insiders = step.conflicts.includes("requester_team")
      ? new Set((await holdersOf(tx, step.role, request.teamId)).map((p) => p.id))
      : new Set<string>();
    byStep.set(
      step.id,
      holders.filter((p) => {
        const person = { id: p.id, roles: [step.role], teamIds: insiders.has(p.id) ? [request.teamId] : [] };
        return !barredFrom(step, person, facts) && !(step.status === "pending" && seatOf(seats, p.id));
      }),
    );
  }
  return byStep;
}
