import type { Role } from "@/db/schema/org";

type Person = { roles: readonly Role[]; teamIds: readonly string[] };

// Anyone signed in may read the registry over /api/v1 (CI reads it with whatever token it holds); the
// Models section of the app is for the people who register and deploy models.

/** The Models section: requesters, ML leads and admins. */
export function mayBrowseModels(person: Pick<Person, "roles">): boolean {
  return person.roles.includes("requester") || person.roles.includes("ml_lead") || person.roles.includes("admin");
}

/** ML leads and admins manage every team's models; a requester manages their own teams' models. */
export function mayManageTeamModels(person: Person, teamId: string): boolean {
  if (person.roles.includes("ml_lead") || person.roles.includes("admin")) return true;
  return person.roles.includes("requester") && person.teamIds.includes(teamId);
}
