import "server-only";
import { and, eq, isNull, ne, or } from "drizzle-orm";
import type { Tx } from "@/db";
import { environments, modelDeployments, models, modelVersions } from "@/db/schema";
import type { ChangeRequest } from "@/db/schema/requests";
import { Conflict } from "../errors";

/**
 * The promotion order, enforced when a deployment request takes its chain (submit, and a revision
 * going back to review): where the target environment requires an earlier one, this version must have
 * been deployed there and not rolled back from it. Asked before anyone's time is spent on approvals.
 */
export async function assertPromotionOrder(tx: Tx, request: ChangeRequest): Promise<void> {
  if (request.kind !== "deployment" || !request.modelVersionId) return;
  const [target] = await tx
    .select({ name: environments.name, requires: environments.requiresDeployedIn })
    .from(environments)
    .where(eq(environments.name, request.environment));
  if (!target?.requires) return;
  const [shipped] = await tx
    .select({ id: modelDeployments.id })
    .from(modelDeployments)
    .where(
      and(
        eq(modelDeployments.modelVersionId, request.modelVersionId),
        eq(modelDeployments.environment, target.requires),
        or(isNull(modelDeployments.retiredReason), ne(modelDeployments.retiredReason, "rolled_back")),
      ),
    )
    .limit(1);
  if (shipped) return;
  const [version] = await tx
    .select({ model: models.name, version: modelVersions.version })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(eq(modelVersions.id, request.modelVersionId));
  const what = version ? `${version.model} ${version.version}` : "This version";
  throw new Conflict(
    `CR-${request.number}: ${what} has not been deployed to ${target.requires}, and ${target.name} takes versions only after ${target.requires} (the promotion order). Deploy it to ${target.requires} first, or ask an admin to change the order.`,
  );
}
