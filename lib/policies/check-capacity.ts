import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db";
import { memberships, teams, userRoles, users } from "@/db/schema";
import type { PolicyDefinition } from "@/db/schema/governance";
import { ValidationError } from "../errors";
import { loadDeciders } from "../users/people";
import { chainShortfalls, type SeatStep } from "./capacity";
import { buildChain, type RequestFacts } from "./chain";

// Conditions are set aside when checking a policy on its own: any request it could apply to.
const ANY_REQUEST: RequestFacts = {
  kind: "deployment",
  environment: "production",
  effectiveRisk: "high",
  emergency: false,
  teamId: "",
};

/** The teams whose requests a policy could see: those its conditions name, else every team with a requester. */
async function filingTeams(tx: Tx, teamIds: readonly string[] | undefined) {
  if (teamIds?.length)
    return tx
      .select({ id: teams.id, name: teams.name })
      .from(teams)
      .where(inArray(teams.id, [...teamIds]));
  return tx
    .selectDistinct({ id: teams.id, name: teams.name })
    .from(teams)
    .innerJoin(memberships, eq(memberships.teamId, teams.id))
    .innerJoin(users, and(eq(users.id, memberships.userId), eq(users.active, true)))
    .innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, "requester")))
    .orderBy(teams.name);
}

/**
 * Refuses (400, a field error at each step's quorum and the list at "definition.stages") a policy
 * whose chain could never complete with the people the organisation has now. A "requester_team" step
 * depends on the team, so it is checked for every team that could file under the policy (those its
 * conditions name, else every team with a requester): we refuse rather than warn, because a request
 * from a team that falls short would be refused at submission anyway, and the admin is the one who
 * can fix it (more people, or conditions naming the teams that can). The requester is not known yet,
 * so nobody is left out here; submission checks again without them. Inactive policies ask nobody and
 * are not checked.
 */
export async function assertPolicyCanComplete(tx: Tx, definition: PolicyDefinition, active: boolean) {
  if (!active) return;
  // The steps as a chain would hold them (the same role and scope twice is one step), each named at
  // the position in the policy it took its name from.
  const positions = definition.stages.flatMap((stage, i) =>
    stage.map((step, j) => ({ step, stage: i + 1, at: `definition.stages.${i}.${j}.quorum` })),
  );
  const alone = { id: "check", name: "", version: 0, active: true, definition: { ...definition, conditions: {} } };
  const steps: (SeatStep & { at: string })[] = buildChain([alone], ANY_REQUEST)
    // A check step is decided by its rules (ADR 0024): it needs nobody's seat.
    .filter((merged) => !merged.check)
    .map((merged) => {
      const from = positions.find(
        (p) => p.step.role === merged.role && p.step.scope === merged.scope && p.step.name === merged.name,
      )!;
      return { ...merged, stage: from.stage, at: from.at };
    });
  const scoped = steps.some((s) => s.scope === "requester_team");
  const [people, candidates] = await Promise.all([
    loadDeciders(tx),
    scoped ? filingTeams(tx, definition.conditions.teamIds) : Promise.resolve([]),
  ]);
  const errors: Record<string, string[]> = {};
  const messages: string[] = [];
  // With no team that could file, "requester_team" steps cannot be checked (team null skips them).
  for (const team of candidates.length ? candidates : [null]) {
    for (const shortfall of chainShortfalls(steps, people, { team, excluded: [] })) {
      if (messages.includes(shortfall.message)) continue;
      messages.push(shortfall.message);
      const key = shortfall.steps.length === 1 ? steps[shortfall.steps[0]!]!.at : "definition.stages";
      (errors[key] ??= []).push(shortfall.message);
    }
  }
  if (!messages.length) return;
  const all = messages.map((m) => `${m}.`);
  errors["definition.stages"] = [...new Set([...(errors["definition.stages"] ?? []), ...messages])];
  throw new ValidationError(`This chain could never complete: ${all.join(" ")}`, errors);
}
