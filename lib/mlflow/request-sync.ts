import "server-only";
import type { UserContext } from "../auth/actor";
import { permit } from "../auth/permit";
import { NotFound } from "../errors";
import { logError } from "../log";
import { mayAdminister } from "../users/permissions";
import { loadConnection } from "./connection";
import { mlflowDispatcher } from "./dispatch";
import { syncMlflow } from "./sync";

/**
 * "Sync now" (admins): queues the sync job, which any worker runs once (a second press while one
 * waits queues nothing more). Without a job queue in this process it runs here in the background.
 * Changes nothing itself, so it records no audit event; each imported version does.
 */
export async function requestMlflowSync(ctx: UserContext): Promise<{ queued: boolean; alreadyRunning: boolean }> {
  permit(mayAdminister(ctx.actor), "This needs the admin role.");
  const connection = await loadConnection(ctx.db);
  if (!connection) throw new NotFound("Connect an MLflow tracking server first.");
  const alreadyRunning = Boolean(connection.syncLeaseUntil && connection.syncLeaseUntil > new Date());
  if (alreadyRunning) return { queued: false, alreadyRunning };
  const dispatcher = mlflowDispatcher();
  if (dispatcher) {
    const queued = await dispatcher.sendSync();
    return { queued, alreadyRunning: !queued };
  }
  void syncMlflow(ctx.db).catch((error: unknown) => logError("[mlflow] sync failed:", error));
  return { queued: true, alreadyRunning: false };
}
