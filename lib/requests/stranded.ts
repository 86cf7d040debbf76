import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { changeRequests, modelVersions, requestSteps, teams } from "@/db/schema";
import type { Role } from "@/db/schema/org";
import { chainShortfalls, type Shortfall } from "../policies/capacity";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { loadDeciders } from "../users/people";
import { mayAdminister } from "../users/permissions";
import { castDecisions } from "./load";

/** At most this many in-flight requests are checked per call (the oldest first): bounded work. */
const LIMIT = 500;

export type StrandedRequest = { number: number; shortfalls: Shortfall[] };

/**
 * In-flight requests (in review, or owing an emergency's retro-approval) whose pending steps can no
 * longer be filled by the people the organisation has now. The chain was checked when it was taken,
 * but roles are revoked and people leave afterwards: each pending step needs its remaining approvals
 * from active holders who have no seat on the revision yet, never the requester nor the version's
 * author. `only` narrows to some requests (the request page) or to steps of one role (a role revoked).
 */
export async function strandedRequests(
  tx: Db | Tx,
  only: { requestIds?: readonly string[]; role?: Role } = {},
): Promise<StrandedRequest[]> {
  if (only.requestIds && !only.requestIds.length) return [];
  const rows = await tx
    .select({
      id: changeRequests.id,
      number: changeRequests.number,
      revision: changeRequests.revision,
      requestedBy: changeRequests.requestedBy,
      teamId: changeRequests.teamId,
      team: teams.name,
      author: modelVersions.createdBy,
    })
    .from(changeRequests)
    .innerJoin(teams, eq(teams.id, changeRequests.teamId))
    .leftJoin(modelVersions, eq(modelVersions.id, changeRequests.modelVersionId))
    .where(
      and(
        inArray(changeRequests.status, ["in_review", "approved", "deployed"]),
        only.requestIds ? inArray(changeRequests.id, [...only.requestIds]) : undefined,
        sql`exists (select 1 from ${requestSteps} s where s.request_id = ${changeRequests.id}
          and s.revision = ${changeRequests.revision} and s.status = 'pending'
          ${only.role ? sql`and s.role = ${only.role}` : sql``})`,
      ),
    )
    .orderBy(changeRequests.number)
    .limit(LIMIT);
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [pending, cast, people] = await Promise.all([
    tx
      .select()
      .from(requestSteps)
      .innerJoin(
        changeRequests,
        and(eq(changeRequests.id, requestSteps.requestId), eq(changeRequests.revision, requestSteps.revision)),
      )
      .where(and(inArray(requestSteps.requestId, ids), eq(requestSteps.status, "pending")))
      .orderBy(requestSteps.stage, requestSteps.name),
    castDecisions(tx, rows),
    loadDeciders(tx),
  ]);
  const stranded: StrandedRequest[] = [];
  for (const r of rows) {
    const steps = pending
      // A check step is decided by its rules (ADR 0024): it needs nobody's seat.
      .filter((p) => p.request_steps.requestId === r.id && !p.request_steps.check)
      .map(({ request_steps: s }) => ({
        stage: s.stage,
        name: s.name,
        role: s.role,
        scope: s.scope,
        quorum: s.quorum - s.approvals,
      }));
    const seated = (cast.get(r.id) ?? []).flatMap((c) => [c.actorId, c.principalId]);
    const excluded = [
      { id: r.requestedBy, as: "the requester" },
      ...(r.author && r.author !== r.requestedBy ? [{ id: r.author, as: "the version's author" }] : []),
      ...[...new Set(seated)].map((id) => ({ id, as: "those who already decided" })),
    ];
    const shortfalls = chainShortfalls(steps, people, { team: { id: r.teamId, name: r.team }, excluded });
    if (shortfalls.length) stranded.push({ number: r.number, shortfalls });
  }
  return stranded;
}

/** "CR-12 and CR-14 can no longer complete: …" for the admin who made the change. */
export function strandedWarning(stranded: readonly StrandedRequest[]): string | null {
  if (!stranded.length) return null;
  const shown = stranded.slice(0, 5).map((s) => `CR-${s.number} (${s.shortfalls[0]!.message})`);
  const more = stranded.length > 5 ? ` and ${stranded.length - 5} more` : "";
  return `${stranded.length === 1 ? "This request" : "These requests"} can no longer complete: ${shown.join("; ")}${more}. Give the role to someone else so their chains can finish.`;
}

/** Admins see which requests a change of people left unable to complete (after a role is taken or someone leaves). */
export async function readStranded(ctx: UserContext, only: { role?: Role } = {}): Promise<StrandedRequest[]> {
  permit(mayAdminister(ctx.actor), "Only admins manage people.");
  return strandedRequests(ctx.db, only);
}

/** As /api/v1 shows them: [{ number: "CR-12", reasons: ["Stage 2 · ML lead review needs …"] }]. */
export function strandedJson(stranded: readonly StrandedRequest[]) {
  return stranded.map((s) => ({ number: `CR-${s.number}`, reasons: s.shortfalls.map((f) => f.message) }));
}
