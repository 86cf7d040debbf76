import type { Role } from "@/db/schema/org";

type Person = { roles: readonly Role[] };

/** The admin area (people and their roles, teams, approval policies, every queued email) is for admins. */
export function mayAdminister(person: Person): boolean {
  return person.roles.includes("admin");
}
