import type { Role } from "@/db/schema/org";

type Person = { roles: readonly Role[] };

/** Admins read and export the audit log. */
export function mayReadAudit(person: Person): boolean {
  return person.roles.includes("admin");
}
