import type { Role } from "@/db/schema/org";

// Who may see and end delegations. Pure: the verbs, the reads and the settings page ask these.

type Person = { id: string; roles: readonly Role[] };
type Delegation = { fromUserId: string; toUserId: string };

/** The person who gave it, the person who received it, or an admin may end a delegation early. */
export function mayEndDelegation(person: Person, delegation: Delegation): boolean {
  return person.id === delegation.fromUserId || person.id === delegation.toUserId || person.roles.includes("admin");
}

/** One's own delegations (given and received); an admin may read anyone's. */
export function mayReadDelegationsOf(person: Person, userId: string): boolean {
  return person.id === userId || person.roles.includes("admin");
}

/** A delegation limited to a role passes on only a role the delegator holds. */
export function mayDelegateRole(person: Pick<Person, "roles">, role: Role): boolean {
  return person.roles.includes(role);
}
