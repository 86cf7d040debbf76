import type { Role } from "@/db/schema/org";

// Pure: where a delegation stands, and the words for its scope. Safe in client components.

export type DelegationStatus = "scheduled" | "active" | "ended" | "ended_early";

export const DELEGATION_STATUS_LABELS: Record<DelegationStatus, string> = {
  scheduled: "Starts later",
  active: "Active",
  ended: "Ended",
  ended_early: "Ended early",
};

type Window = { startsAt: Date; endsAt: Date; revokedAt: Date | null };

export function delegationStatus(d: Window, now: Date): DelegationStatus {
  if (d.revokedAt) return "ended_early";
  if (d.endsAt.getTime() <= now.getTime()) return "ended";
  if (d.startsAt.getTime() > now.getTime()) return "scheduled";
  return "active";
}

/** Not ended yet (it may not have started): it can still be ended early. */
export function isOpen(d: Window, now: Date): boolean {
  const status = delegationStatus(d, now);
  return status === "active" || status === "scheduled";
}

const ROLE_WORDS: Record<Role, string> = {
  requester: "Requester",
  manager: "Manager",
  security: "Security",
  ml_lead: "ML lead",
  admin: "Admin",
};
export const roleInWords = (role: Role) => ROLE_WORDS[role];

/** "Manager steps, Fraud requests only" / "All the delegator's steps, any team". */
export function scopeInWords(d: { role: Role | null; team: { name: string } | null }): string {
  const role = d.role ? `${ROLE_WORDS[d.role]} steps` : "All the delegator's steps";
  const team = d.team ? `${d.team.name} requests only` : "any team";
  return `${role}, ${team}`;
}
