import "server-only";
import { inArray } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { requestSteps, type ChangeRequest } from "@/db/schema";
import { dependencySignals, manifestRiskFacts } from "../security/risk-facts";
import { buildChain, namesDependencySignals, type PolicyInput } from "./chain";
import { metricFacts } from "../models/metric-facts";
import { evaluateCheck } from "./check-rules";
import { compareChains, type StepChange } from "./dry-run";

const FAILED: readonly string[] = ["rejected", "changes_requested"];

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
    const changes = compareChains(taken, draft);
    // What the draft's checks would find on this request's version beside what is live now (the
    // figures of today, like the manifest); only a failure changes where the request would go.
    const checks = draft.filter((s) => s.check);
    if (checks.length) {
      const facts = await metricFacts(db, r);
      for (const s of checks) {
        const outcome = evaluateCheck(s.check!, facts);
        // A request this very check already stopped is not changed by it.
        const stopped = taken.some(
          (t) => t.check && JSON.stringify(t.check) === JSON.stringify(s.check) && FAILED.includes(t.status),
        );
        if (!outcome.passed && !stopped)
          changes.push({ type: "check", step: s.name, role: s.role, scope: s.scope, to: outcome.reason });
      }
    }
    replayed.push({ request: r, changes });
  }
  return replayed;
}
