import { readFileSync } from "node:fs";
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

/**
 * Whether the database lacks a migration in the journal: one query, so a command that migrates a
 * fresh embedded database on demand does not pay for hashing every migration file on each run.
 */
export async function migrationsPending(sql: postgres.Sql, migrationsFolder = MIGRATIONS_FOLDER): Promise<boolean> {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
    entries: { when: number }[];
  };
  const last = Math.max(0, ...journal.entries.map((e) => e.when));
  try {
    const [row] = await sql`select max(created_at) as at from drizzle.__drizzle_migrations`;
    return Number(row?.at ?? 0) < last;
  } catch {
    return true; // no drizzle schema yet: a fresh database
  }
}
