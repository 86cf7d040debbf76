// `npm run worker`: works the job queue (mail delivery, the outbox sweep, approval expiry) apart from
// the web servers. For WORKER_MODE=separate with PostgreSQL; run as many as you like, each job still
// runs once. Embedded installs need none: the server works its own jobs.
// Runs WITHOUT --conditions=react-server (emails are rendered here): see allow-server-only.ts.
import "./allow-server-only";
import { closeConnection, getConnection } from "@/lib/db";
import { envOrExit } from "./env-or-exit";
import { startJobs, stopJobs } from "@/lib/jobs/start";

async function main() {
  const env = envOrExit();
  if (!env.databaseUrl) {
    // A second process must never open the embedded folder, and the server already works its jobs.
    console.error(
      "npm run worker needs DATABASE_URL (PostgreSQL). With the embedded database the server runs the jobs itself.",
    );
    process.exit(1);
  }
  if (env.workerMode === "inline") {
    console.warn("[worker] WORKER_MODE is inline: the web servers also work jobs; this worker adds capacity.");
  }
  const { db } = await getConnection();
  await startJobs(env.databaseUrl, { db, work: true });
  console.log("[worker] working jobs (Ctrl-C to stop; running jobs finish first)");

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("[worker] stopping");
    await stopJobs().catch((error: unknown) => console.error("[worker] stop failed:", error));
    await closeConnection().catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}

main().catch(async (error: unknown) => {
  console.error(error);
  await stopJobs().catch(() => undefined);
  await closeConnection().catch(() => undefined);
  process.exit(1);
});
