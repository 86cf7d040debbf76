import type { Role } from "@/db/schema/org";

type Person = { roles: readonly Role[]; teamIds: readonly string[] };

/** ML leads and admins manage every team's models; a requester manages their own teams' models. */
export function mayManageTeamModels(person: Person, teamId: string): boolean {
  if (person.roles.includes("ml_lead") || person.roles.includes("admin")) return true;
  return person.roles.includes("requester") && person.teamIds.includes(teamId);
}
