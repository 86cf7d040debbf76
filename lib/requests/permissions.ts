import type { Role } from "@/db/schema/org";

/** Requests are filed for one's own teams' models; admins may file for any team. */
export function mayFileFor(person: { roles: readonly Role[]; teamIds: readonly string[] }, teamId: string): boolean {
  return person.roles.includes("admin") || (person.roles.includes("requester") && person.teamIds.includes(teamId));
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
