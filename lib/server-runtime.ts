import "server-only";
import { closeConnection, getConnection, resolveDatabaseUrl } from "./db";
import { getEnv } from "./env";
import { startJobs, stopJobs } from "./jobs/start";
import { logError } from "./log";

export async function startServerRuntime() {
  const env = getEnv(); // fail at start, naming the bad variable, rather than on the first request
  const { db } = await getConnection();
  // The process already holds (or reaches) the database: this is the URL it uses, embedded or not.
  const { url } = await resolveDatabaseUrl();
  // Inline (the default, and the only choice embedded: one process per data folder) works mail
  // delivery and the outbox sweep here; separate leaves that to `npm run worker` and only sends.
  const work = env.embedded || env.workerMode === "inline";
  await startJobs(url, { db, work });
  const shutdown = async () => {
    await stopJobs().catch((error: unknown) => logError("[jobs] stop failed:", error));
    await closeConnection().catch(() => undefined);
    process.exit(0);
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  console.log(
    `[greenlight] database ready (${env.embedded ? "embedded" : "PostgreSQL"}); jobs ${work ? "worked in this process" : "sent to the worker"}`,
  );
}
