import type { Role } from "@/db/schema/org";

type Person = { roles: readonly Role[]; teamIds: readonly string[] };

/** Admins manage every team's budget; a manager manages the budgets of the teams they belong to. */
export function mayManageBudget(person: Person, teamId: string): boolean {
  if (person.roles.includes("admin")) return true;
  return person.roles.includes("manager") && person.teamIds.includes(teamId);
}
