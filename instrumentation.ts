// Runs once when the server starts. In the Node.js runtime it opens the database right away (so the
// embedded one is locked and served before the first request) and starts the job queue (lib/jobs).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServerRuntime } = await import("./lib/server-runtime");
  await startServerRuntime();
}
