import type { Role } from "@/db/schema/org";

type Person = { roles: readonly Role[]; teamIds: readonly string[] };

// Anyone signed in may read the registry, in the app and over /api/v1 (CI reads it with whatever token
// it holds): the people approving a version see what it is. Registering and editing stay with those
// who manage the team's models.

/** The Models section (models, versions, their comparison): every signed-in person, read-only unless they manage models. */
export function mayBrowseModels(_person: Pick<Person, "roles">): boolean {
  return true;
}

/** ML leads and admins manage every team's models; a requester manages their own teams' models. */
export function mayManageTeamModels(person: Person, teamId: string): boolean {
  if (person.roles.includes("ml_lead") || person.roles.includes("admin")) return true;
  return person.roles.includes("requester") && person.teamIds.includes(teamId);
}
