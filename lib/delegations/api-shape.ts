import { delegationStatus } from "./status";
import type { DelegationView } from "./queries";

// What /api/v1 shows of a delegation: who, what it covers, its window and where it stands.

const person = (p: { email: string; name: string | null }) => ({ email: p.email, name: p.name });

export function delegationJson(d: DelegationView, now = new Date()) {
  return {
    id: d.id,
    from: person(d.from),
    to: person(d.to),
    role: d.role,
    team: d.team ? { id: d.team.id, name: d.team.name } : null,
    startsAt: d.startsAt.toISOString(),
    endsAt: d.endsAt.toISOString(),
    reason: d.reason,
    status: delegationStatus(d, now),
    createdAt: d.createdAt.toISOString(),
    endedEarlyAt: d.revokedAt?.toISOString() ?? null,
    endedBy: d.revokedBy ? person(d.revokedBy) : null,
  };
}

/** A person's delegations (GET /api/v1/delegations). */
export function delegationListJson(
  list: { user: { email: string; name: string | null }; given: DelegationView[]; received: DelegationView[] },
  now = new Date(),
) {
  return {
    user: person(list.user),
    given: list.given.map((d) => delegationJson(d, now)),
    received: list.received.map((d) => delegationJson(d, now)),
  };
}
