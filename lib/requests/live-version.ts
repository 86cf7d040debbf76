import "server-only";
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { changeRequests, modelVersions } from "@/db/schema";
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
 * model: the version of the most recent request for that model and environment with status
 * deployed. null when the request names no version.
 */
export async function versionBesideLive(db: Db, request: { modelVersionId: string | null; environment: Environment }) {
  if (!request.modelVersionId) return null;
  const [current] = await db.select(described).from(modelVersions).where(eq(modelVersions.id, request.modelVersionId));
  if (!current) return null;
  const [live] = await db
    .select({ ...described, number: changeRequests.number, deployedAt: changeRequests.deployedAt })
    .from(changeRequests)
    .innerJoin(modelVersions, eq(modelVersions.id, changeRequests.modelVersionId))
    .where(
      and(
        eq(modelVersions.modelId, current.modelId),
        eq(changeRequests.environment, request.environment),
        eq(changeRequests.status, "deployed"),
      ),
    )
    .orderBy(desc(changeRequests.deployedAt), desc(changeRequests.number))
    .limit(1);
  return {
    environment: request.environment,
    version: { label: current.version, framework: current.framework },
    live: live
      ? {
          label: live.version,
          framework: live.framework,
          number: live.number,
          deployedAt: live.deployedAt?.toISOString() ?? null,
          same: live.id === current.id,
        }
      : null,
    comparison: compareWithLive(current, live ?? null),
  };
}

export type VersionBesideLive = NonNullable<Awaited<ReturnType<typeof versionBesideLive>>>;
