import type { Role } from "@/db/schema/org";

type Person = { roles: readonly Role[]; teamIds: readonly string[] };

/** Insights are for those who can change how the organisation works: managers, ML leads and admins. */
export function mayReadInsights(person: Pick<Person, "roles">): boolean {
  return person.roles.some((r) => r === "manager" || r === "ml_lead" || r === "admin");
}

/**
 * The teams whose figures a person sees: null for every team (ML leads and admins look across the
 * organisation); a manager only their own teams, as with budgets.
 */
export function insightTeams(person: Person): readonly string[] | null {
  if (person.roles.includes("admin") || person.roles.includes("ml_lead")) return null;
  return person.teamIds;
}

/** Named people (decisions per approver, who holds the oldest steps): admins only. */
export function maySeeInsightPeople(person: Pick<Person, "roles">): boolean {
  return person.roles.includes("admin");
}
