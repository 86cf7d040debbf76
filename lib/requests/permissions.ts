import type { Role } from "@/db/schema/org";

type Person = { roles: readonly Role[]; teamIds: readonly string[] };

/**
 * The requests list and the inbox are for everyone with a part in the process: anyone holding a role.
 * (One request's page and /api/v1 need only a signed-in caller.)
 */
export function mayBrowseRequests(person: Pick<Person, "roles">): boolean {
  return person.roles.length > 0;
}

/** Requesters file change requests; admins may too. */
export function mayFileRequests(person: Pick<Person, "roles">): boolean {
  return person.roles.includes("requester") || person.roles.includes("admin");
}

/** Requests are filed for one's own teams' models; admins may file for any team. */
export function mayFileFor(person: Person, teamId: string): boolean {
  return person.roles.includes("admin") || (person.roles.includes("requester") && person.teamIds.includes(teamId));
}

/** Whether there is any team this person could file for (admins: every team; others: their own). */
export function mayFileForSomeTeam(person: Person): boolean {
  return person.roles.includes("admin") || person.teamIds.length > 0;
}

/** Filing is offered (a "New request" link, one's own requests in the inbox) to requesters; admins may file but are not prompted. */
export function offersFiling(person: Pick<Person, "roles">): boolean {
  return person.roles.includes("requester");
}

/** An approval can be revoked after the fact by an ML lead, the security team or an admin. */
export function mayRevoke(person: Pick<Person, "roles">): boolean {
  return person.roles.includes("ml_lead") || person.roles.includes("security") || person.roles.includes("admin");
}

const EDITABLE: readonly string[] = ["draft", "changes_requested", "in_review", "approved"];

/** Whether a request can still be changed at all: not closed and not deployed. */
export function isEditable(request: { status: string; deployedAt: Date | null }): boolean {
  return EDITABLE.includes(request.status) && !request.deployedAt;
}

/** Only the requester edits their request (its text, costs, manifest), and only while it is editable. */
export function mayEdit(
  personId: string,
  request: { requestedBy: string; status: string; deployedAt: Date | null },
): boolean {
  return request.requestedBy === personId && isEditable(request);
}

/**
 * Whoever may mark a request deployed may say how it went: its requester, an ML lead or an admin.
 * The same people may roll back what that request put live.
 */
export function mayCloseDeployment(person: { id: string; roles: readonly Role[] }, request: { requestedBy: string }) {
  return person.id === request.requestedBy || person.roles.includes("ml_lead") || person.roles.includes("admin");
}
