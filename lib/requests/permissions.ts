import type { Role } from "@/db/schema/org";

/** Requests are filed for one's own teams' models; admins may file for any team. */
export function mayFileFor(person: { roles: readonly Role[]; teamIds: readonly string[] }, teamId: string): boolean {
  return person.roles.includes("admin") || (person.roles.includes("requester") && person.teamIds.includes(teamId));
}
