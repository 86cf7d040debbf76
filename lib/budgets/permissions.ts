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

/** What approving a request does to its team's budget is shown to its requester and to those who hold budgets. */
export function maySeeBudgetImpact(
  person: { id: string; roles: readonly Role[] },
  request: { requestedBy: string },
): boolean {
  return request.requestedBy === person.id || mayReadBudgets(person);
}
