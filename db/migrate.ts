import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

/**
 * Applies db/migrations. Safe with several instances starting at once: a session advisory lock makes
 * them take turns, and each one applies only what the journal says is missing.
 */
export async function migrateDatabase(url: string, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await sql`select pg_advisory_lock(hashtext('greenlight:migrate'))`;
    await migrate(drizzle(sql), { migrationsFolder });
    await sql`select pg_advisory_unlock(hashtext('greenlight:migrate'))`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
