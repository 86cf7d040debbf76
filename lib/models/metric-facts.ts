import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { modelDeployments, modelVersions } from "@/db/schema";

/** A version's label and metrics, as an evaluation check reads them. */
export type MetricsOf = { label: string; metrics: Record<string, unknown> };
export type MetricFacts = { environment: string; version: MetricsOf | null; live: MetricsOf | null };

/**
 * The figures an evaluation check reads (ADR 0024): the request's model version, and the version of
 * the same model live in the request's environment now (null when nothing is).
 */
export async function metricFacts(
  db: Db | Tx,
  request: { modelVersionId: string | null; environment: string },
): Promise<MetricFacts> {
  const facts: MetricFacts = { environment: request.environment, version: null, live: null };
  if (!request.modelVersionId) return facts;
  const [version] = await db
    .select({ modelId: modelVersions.modelId, label: modelVersions.version, metrics: modelVersions.metrics })
    .from(modelVersions)
    .where(eq(modelVersions.id, request.modelVersionId));
  if (!version) return facts;
  facts.version = { label: version.label, metrics: version.metrics };
  const [live] = await db
    .select({ label: modelVersions.version, metrics: modelVersions.metrics })
    .from(modelDeployments)
    .innerJoin(modelVersions, eq(modelVersions.id, modelDeployments.modelVersionId))
    .where(
      and(
        eq(modelDeployments.modelId, version.modelId),
        eq(modelDeployments.environment, request.environment),
        isNull(modelDeployments.retiredAt),
      ),
    );
  facts.live = live ? { label: live.label, metrics: live.metrics } : null;
  return facts;
}
