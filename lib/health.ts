import "server-only";
import { sql } from "drizzle-orm";
import packageJson from "@/package.json";
import { getDb } from "./db";
import { getEnv } from "./env";
import { logError } from "./log";

export type Health = {
  status: "ok" | "degraded";
  version: string;
  database: { reachable: boolean; engine: string; latencyMs?: number; error?: string };
};

export async function checkHealth(): Promise<Health> {
  const env = getEnv();
  const engine = env.embedded ? "embedded (PGlite)" : "postgresql";
  const started = performance.now();
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    return {
      status: "ok",
      version: packageJson.version,
      database: { reachable: true, engine, latencyMs: Math.round(performance.now() - started) },
    };
  } catch (error) {
    logError("[health] database check failed:", error);
    return {
      status: "degraded",
      version: packageJson.version,
      database: { reachable: false, engine, error: "database unreachable" },
    };
  }
}
