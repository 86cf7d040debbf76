import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db";
import { changeRequests, modelDeployments, modelVersions } from "@/db/schema";
import type { Environment } from "@/db/schema/requests";
import { compareWithLive } from "../models/diff";

const described = {
  id: modelVersions.id,
  modelId: modelVersions.modelId,
  version: modelVersions.version,
  framework: modelVersions.framework,
  datasetName: modelVersions.datasetName,
  datasetVersion: modelVersions.datasetVersion,
  metrics: modelVersions.metrics,
  hyperparameters: modelVersions.hyperparameters,
};

/**
 * The request's model version beside the version live in the request's environment for the same
 * model (model_deployments, lib/requests/live-state.ts), with the request that put it there. null
 * when the request names no version.
 */
export async function versionBesideLive(db: Db, request: { modelVersionId: string | null; environment: Environment }) {
  if (!request.modelVersionId) return null;
  const [current] = await db.select(described).from(modelVersions).where(eq(modelVersions.id, request.modelVersionId));
  if (!current) return null;
  const [live] = await db
    .select({ ...described, number: changeRequests.number, deployedAt: modelDeployments.deployedAt })
    .from(modelDeployments)
    .innerJoin(modelVersions, eq(modelVersions.id, modelDeployments.modelVersionId))
    .innerJoin(changeRequests, eq(changeRequests.id, modelDeployments.requestId))
    .where(
      and(
        eq(modelDeployments.modelId, current.modelId),
        eq(modelDeployments.environment, request.environment),
        isNull(modelDeployments.retiredAt),
      ),
    );
  return {
    environment: request.environment,
    version: { label: current.version, framework: current.framework },
    live: live
      ? {
          label: live.version,
          framework: live.framework,
          number: live.number,
          deployedAt: live.deployedAt.toISOString(),
          same: live.id === current.id,
        }
      : null,
    comparison: compareWithLive(current, live ?? null),
  };
}

export type VersionBesideLive = NonNullable<Awaited<ReturnType<typeof versionBesideLive>>>;
