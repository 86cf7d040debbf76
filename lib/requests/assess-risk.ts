import "server-only";
import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { changeRequests, type ChangeRequest } from "@/db/schema";
import { getEnv } from "../env";
import { isProtectedEnvironment } from "../environments/queries";
import { manifestRiskFacts, type ManifestRiskFacts } from "../security/risk-facts";
import { effectiveRisk, type AssessedRisk } from "./risk";

type RiskColumns = Pick<ChangeRequest, "risk" | "kind" | "environment" | "emergency" | "currency" | "totalCostMinor">;

/**
 * The effective risk of a request's fields (and its manifest's facts, when it has one).
 * `protectedEnvironment`: whether the request's environment is protected (the caller looked it up).
 */
export function assessFields(
  request: RiskColumns,
  protectedEnvironment: boolean,
  dependencies: ManifestRiskFacts | null = null,
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
  const assessed = assessFields(
    request,
    await isProtectedEnvironment(tx, request.environment),
    await manifestRiskFacts(tx, request, now),
  );
  const same =
    assessed.risk === request.effectiveRisk && JSON.stringify(assessed.factors) === JSON.stringify(request.riskFactors);
  if (same) return request;
  const [row] = await tx
    .update(changeRequests)
    .set({ effectiveRisk: assessed.risk, riskFactors: assessed.factors })
    .where(eq(changeRequests.id, request.id))
    .returning();
  return row!;
}
