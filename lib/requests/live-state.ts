import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { Tx } from "@/db";
import { modelDeployments, models, type ModelDeployment } from "@/db/schema";
import type { DeploymentVia, RetiredReason } from "@/db/schema/deployments";
import type { Environment } from "@/db/schema/requests";
import type { Actor } from "../auth/actor";

// The live version per (model, environment) lives in model_deployments: one row with retired_at null,
// its predecessors retired. Writers take the model's row lock first, so two deploys (or a deploy and
// a rollback) for one model queue up instead of both retiring the same row; the partial unique index
// model_deployments_one_live_key stays as the last word should anything get past the lock.

/**
 * Takes the model's lock for the rest of the transaction and returns what is live in that
 * environment now (null: nothing yet). "no key update" leaves foreign-key checks from new versions
 * and requests free to proceed.
 */
export async function lockLiveSlot(tx: Tx, modelId: string, environment: Environment): Promise<ModelDeployment | null> {
  await tx.select({ id: models.id }).from(models).where(eq(models.id, modelId)).for("no key update");
  const [live] = await tx
    .select()
    .from(modelDeployments)
    .where(
      and(
        eq(modelDeployments.modelId, modelId),
        eq(modelDeployments.environment, environment),
        isNull(modelDeployments.retiredAt),
      ),
    )
    .for("update");
  return live ?? null;
}

type GoingLive = {
  modelId: string;
  environment: Environment;
  modelVersionId: string;
  /** The request whose approval covers the version here. */
  requestId: string;
  via: DeploymentVia;
  /** What happens to the row live now: superseded by a deployment, or rolled back. */
  retiring: { row: ModelDeployment; reason: RetiredReason; byRequestId: string } | null;
  note?: string | null;
};

/** Retires what was live (if anything) and makes this version live. Call after lockLiveSlot. */
export async function makeLive(tx: Tx, actor: Actor, now: Date, next: GoingLive): Promise<ModelDeployment> {
  const by = actor.kind === "user" ? actor.id : null;
  if (next.retiring) {
    await tx
      .update(modelDeployments)
      .set({
        retiredAt: now,
        retiredBy: by,
        retiredReason: next.retiring.reason,
        retiredByRequestId: next.retiring.byRequestId,
      })
      .where(and(eq(modelDeployments.id, next.retiring.row.id), isNull(modelDeployments.retiredAt)));
  }
  const [row] = await tx
    .insert(modelDeployments)
    .values({
      modelId: next.modelId,
      environment: next.environment,
      modelVersionId: next.modelVersionId,
      requestId: next.requestId,
      via: next.via,
      deployedAt: now,
      deployedBy: by,
      note: next.note ?? null,
    })
    .returning();
  return row!;
}
