import type { UserRow } from "./queries";

// What /api/v1 shows of people: who they are, their roles and teams; never a password or token hash.

/** A person as the user list shows them (GET /api/v1/users). */
export function userJson(u: UserRow) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    active: u.active,
    roles: u.roles,
    teams: u.teams.map((t) => ({ id: t.id, name: t.name })),
  };
}

/** A person just added (POST /api/v1/users). */
export function createdUserJson(u: { id: string; email: string }) {
  return { id: u.id, email: u.email };
}

/** Whether a role grant or revocation changed anything. */
export function roleChangeJson(r: { changed: boolean }) {
  return { changed: r.changed };
}
