import "server-only";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export { schema };
// $client is the postgres.js pool under drizzle: the rate limiter (lib/rate-limit) runs its own SQL on it.
export type Db = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };
/** A transaction handle; verbs accept Db | Tx where they can join a caller's transaction. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export type Connection = { db: Db; sql: postgres.Sql; close: () => Promise<void> };

/** Opens a pooled connection. The same driver serves a real PostgreSQL and the embedded one. */
export function connect(url: string, options: { max?: number; onClose?: () => Promise<void> } = {}): Connection {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => undefined,
    connection: { application_name: "greenlight" },
  });
  const db = drizzle(sql, { schema });
  return {
    db,
    sql,
    close: async () => {
      await sql.end({ timeout: 5 });
      await options.onClose?.();
    },
  };
}

/** db.execute() rows, typed by the caller. */
export async function rows<T>(result: Promise<unknown>): Promise<T[]> {
  const value = await result;
  return Array.from(value as Iterable<T>);
}
