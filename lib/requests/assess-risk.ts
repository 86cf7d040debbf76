import "server-only";
import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { changeRequests, type ChangeRequest } from "@/db/schema";
import { getEnv } from "../env";
import { isProtectedEnvironment } from "../environments/queries";
import { manifestRiskFacts, type ManifestRiskFacts } from "../security/risk-facts";
import { effectiveRisk, type AssessedRisk, type RiskFacts } from "./risk";

type RiskColumns = Pick<ChangeRequest, "risk" | "kind" | "environment" | "emergency" | "currency" | "totalCostMinor">;

/**
 * The effective risk of a request's fields (and its manifest's facts, when it has one).
 * `protectedEnvironment`: whether the request's environment is protected (the caller looked it up).
 */
export function assessFields(
  request: RiskColumns,
  protectedEnvironment: boolean,
  dependencies: RiskFacts["dependencies"] = null,
): AssessedRisk {
  return effectiveRisk({
    declared: request.risk,
    kind: request.kind,
    environment: request.environment,
    protectedEnvironment,
    emergency: request.emergency,
    cost: { currency: request.currency, totalMinor: request.totalCostMinor },
    highCost: getEnv().riskHighCost,
    dependencies,
  });
}

/**
 * Works out the request's effective risk from what is known now (its fields, its manifest, the
 * allowlist) and stores it with the facts; returns the row as it now stands. Called when a request is
 * edited and when its chain is taken, before any policy is matched.
 */
export async function assessRisk(tx: Db | Tx, request: ChangeRequest, now: Date): Promise<ChangeRequest> {
  return (await assessRiskAndFacts(tx, request, now)).request;
}

/** assessRisk, also giving the manifest's facts it read (null without a manifest), for policy matching. */
export async function assessRiskAndFacts(
  tx: Db | Tx,
  request: ChangeRequest,
  now: Date,
): Promise<{ request: ChangeRequest; dependencies: ManifestRiskFacts | null }> {
  const dependencies = await manifestRiskFacts(tx, request, now);
  const assessed = assessFields(request, await isProtectedEnvironment(tx, request.environment), dependencies);
  const same =
    assessed.risk === request.effectiveRisk && JSON.stringify(assessed.factors) === JSON.stringify(request.riskFactors);
  if (same) return { request, dependencies };
  const [row] = await tx
    .update(changeRequests)
    .set({ effectiveRisk: assessed.risk, riskFactors: assessed.factors })
    .where(eq(changeRequests.id, request.id))
    .returning();
  return { request: row!, dependencies };
}
