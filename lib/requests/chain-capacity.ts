import "server-only";
import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { modelVersions, teams } from "@/db/schema";
import { chainShortfalls, type SeatStep, type Shortfall } from "../policies/capacity";
import { loadDeciders } from "../users/people";

/**
 * Why this request's chain could never complete with the people the organisation has now (none when
 * it can): each step against the active holders of its role (of the requester's team when scoped so),
 * never counting the requester nor the version's author (DESIGN: they never approve it), and the
 * chain's seats against distinct people.
 */
export async function requestShortfalls(
  tx: Db | Tx,
  request: { requestedBy: string; teamId: string; modelVersionId: string | null },
  all: readonly (SeatStep & { check?: unknown })[],
): Promise<Shortfall[]> {
  // A check step is decided by its rules (ADR 0024): it needs nobody's seat.
  const steps = all.filter((s) => !s.check);
  if (!steps.length) return [];
  const [people, [team], [version]] = await Promise.all([
    loadDeciders(tx),
    tx.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.id, request.teamId)),
    request.modelVersionId
      ? tx
          .select({ author: modelVersions.createdBy })
          .from(modelVersions)
          .where(eq(modelVersions.id, request.modelVersionId))
      : Promise.resolve([]),
  ]);
  const excluded = [
    { id: request.requestedBy, as: "the requester" },
    ...(version?.author && version.author !== request.requestedBy
      ? [{ id: version.author, as: "the version's author" }]
      : []),
  ];
  return chainShortfalls(steps, people, { team: team ?? null, excluded });
}

/** The refusal when a chain could not complete: "CR-1042 cannot go for approval: … ." */
export function shortfallMessage(number: number, shortfalls: readonly Shortfall[]): string {
  return `CR-${number} cannot go for approval: its chain could never complete. ${shortfalls.map((s) => `${s.message}.`).join(" ")} Ask an admin to give the role to more people or to change the policy.`;
}
