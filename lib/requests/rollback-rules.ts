import type { RequestStatus } from "@/db/schema/requests";
import { statusInWords } from "../labels";

// Pure rules of a rollback, shared by the verb (lib/requests/roll-back.ts) and the pages that offer it.

type Covering = { number: number; status: RequestStatus; revokedAt: Date | null };

/** Why the request that shipped a version no longer covers bringing it back (null: it does). */
export function whyNotBack(version: string, request: Covering): string | null {
  if (request.status === "deployed") return null;
  const cr = `CR-${request.number}`;
  if (request.status === "revoked")
    return `${version}'s approval (${cr}) was revoked${request.revokedAt ? ` on ${request.revokedAt.toISOString().slice(0, 10)}` : ""}: it cannot go live again without a new approval.`;
  if (request.status === "rolled_back")
    return `${version} was itself rolled back (${cr}): file a new request to ship it again.`;
  return `${cr}, which shipped ${version}, is ${statusInWords(request.status)}: it no longer covers ${version}.`;
}

type Past = { modelVersionId: string; version: string; retiredAt: Date | null };

/**
 * The version a rollback brings back: the one named, or else the newest earlier one that is not
 * what is live now. `history` is newest first. undefined: nothing to go back to.
 */
export function rollbackTarget<P extends Past>(
  history: readonly P[],
  live: { modelVersionId: string },
  version?: string,
): P | undefined {
  const earlier = history.filter((h) => h.retiredAt !== null && h.modelVersionId !== live.modelVersionId);
  return version ? earlier.find((h) => h.version === version) : earlier[0];
}
