import "server-only";
import { closeConnection, getConnection } from "./db";
import { getEnv } from "./env";
import { deliverPending } from "./notifications/deliver";
import { expireApprovals } from "./requests/expire-approvals";

const SWEEP_MS = 30_000;

export async function startServerRuntime() {
  const env = getEnv(); // fail at start, naming the bad variable, rather than on the first request
  const { db } = await getConnection();
  // Retries mail that failed or was queued while delivery was down. (A job queue replaces this later.)
  const sweep = setInterval(() => {
    deliverPending(db).catch((error: unknown) => console.error("[notifications] sweep failed:", error));
    expireApprovals(db).catch((error: unknown) => console.error("[requests] expiry sweep failed:", error));
  }, SWEEP_MS);
  sweep.unref();
  const shutdown = async () => {
    clearInterval(sweep);
    await closeConnection().catch(() => undefined);
    process.exit(0);
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  console.log(`[greenlight] database ready (${env.embedded ? "embedded" : "PostgreSQL"})`);
}
