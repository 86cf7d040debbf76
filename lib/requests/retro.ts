import type { RequestStatus } from "@/db/schema/requests";

// Pure: an emergency change opens the gate on one ML lead's approval and owes the rest of its chain
// as retro-approval by retro_due_at. Past that time with steps still pending, the gate is closed
// again until the chain completes. The request page and GET /api/v1/gate both ask this.

export type RetroFacts = {
  number: number;
  status: RequestStatus;
  retroDueAt: Date | null;
  /** Steps of the current revision still pending. */
  pendingSteps: number;
};

/**
 * The request owes retro-approval: its gate opened early (approved, or already deployed) and steps of
 * its revision still wait. Those steps stay decidable; a refusal on one pulls the change back.
 */
export function owesRetro(status: RequestStatus, steps: readonly { status: string }[]): boolean {
  return (status === "approved" || status === "deployed") && steps.some((s) => s.status === "pending");
}

/** The gate opened early (approved, or already deployed) and part of the chain still owes its decision. */
export function retroState(request: RetroFacts, now: Date): { pending: boolean; overdue: boolean } {
  const pending = (request.status === "approved" || request.status === "deployed") && request.pendingSteps > 0;
  const overdue = pending && request.retroDueAt !== null && request.retroDueAt.getTime() < now.getTime();
  return { pending, overdue };
}

/** Why the gate is closed for an overdue emergency, or null when it is not overdue. */
export function retroGateReason(request: RetroFacts, now: Date): string | null {
  if (!retroState(request, now).overdue) return null;
  return `CR-${request.number}'s retro-approval was due at ${request.retroDueAt!.toISOString()}; the gate stays closed until the chain completes.`;
}
