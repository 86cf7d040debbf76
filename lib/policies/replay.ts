import "server-only";
import { inArray } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { requestSteps, type ChangeRequest } from "@/db/schema";
import { dependencySignals, manifestRiskFacts } from "../security/risk-facts";
import { buildChain, namesDependencySignals, type PolicyInput } from "./chain";
import { compareChains, type StepChange } from "./dry-run";

/**
 * Each request's current chain beside the one `policies` would give it, from its facts as stored
 * (kind, environment, effective risk, emergency, team, cost; the manifest's signals when a policy
 * routes on them). The dry run and the policy-change notice (lib/policies/tell-policy-change.ts) both
 * ask this; nothing is written.
 */
export async function replayChains(
  db: Db | Tx,
  policies: readonly PolicyInput[],
  requests: readonly ChangeRequest[],
  now: Date,
): Promise<{ request: ChangeRequest; changes: StepChange[] }[]> {
  const steps = requests.length
    ? await db
        .select()
        .from(requestSteps)
        .where(
          inArray(
            requestSteps.requestId,
            requests.map((r) => r.id),
          ),
        )
    : [];
  // Dependency conditions are judged on the manifest as the security team's decisions leave it now
  // (one read per request, only when a policy in the set names a dependency signal).
  const readsManifests = policies.some((p) => p.active && namesDependencySignals(p.definition.conditions));
  const replayed = [];
  for (const r of requests) {
    const taken = steps.filter((s) => s.requestId === r.id && s.revision === r.revision);
    const draft = buildChain([...policies], {
      kind: r.kind,
      environment: r.environment,
      effectiveRisk: r.effectiveRisk,
      emergency: r.emergency,
      teamId: r.teamId,
      currency: r.currency,
      totalCostMinor: r.totalCostMinor,
      dependencies: readsManifests ? dependencySignals(await manifestRiskFacts(db, r, now)) : null,
    });
    replayed.push({ request: r, changes: compareChains(taken, draft) });
  }
  return replayed;
}
