import type { Role } from "@/db/schema/org";

type Person = { roles: readonly Role[]; teamIds: readonly string[] };

/** Budgets are for the people who hold them: managers and admins. */
export function mayReadBudgets(person: Pick<Person, "roles">): boolean {
  return person.roles.includes("manager") || person.roles.includes("admin");
}

/** Admins manage every team's budget; a manager manages the budgets of the teams they belong to. */
export function mayManageBudget(person: Person, teamId: string): boolean {
  if (person.roles.includes("admin")) return true;
  return person.roles.includes("manager") && person.teamIds.includes(teamId);
}

/**
 * A team's budget position (what approving a request does to it, the figures behind a budget step's
 * auto-pass) is shown to the request's requester and to those who manage that team's budget: its
 * managers and the admins. Everyone else reads it without figures (lib/budgets/step-evidence.ts).
 */
export function maySeeBudgetImpact(
  person: { id: string; roles: readonly Role[]; teamIds: readonly string[] },
  request: { requestedBy: string; teamId: string },
): boolean {
  return request.requestedBy === person.id || mayManageBudget(person, request.teamId);
}
