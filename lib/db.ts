import "server-only";
import { connect, type Connection, type Db } from "@/db";
import { findEmbeddedServer, serveEmbeddedDatabase } from "@/db/embedded";
import { migrateDatabase, migrationsPending } from "@/db/migrate";
import { getEnv } from "./env";

// One connection pool per process, shared by every route bundle through globalThis (Next loads
// route modules separately, so a module-level variable would not be shared).
const KEY = Symbol.for("greenlight.connection");
type Holder = { [KEY]?: Promise<Connection> };

/** The database URL this process should use, serving the embedded database itself if nobody does. */
export async function resolveDatabaseUrl(): Promise<{ url: string; stop?: () => Promise<void> }> {
  const env = getEnv();
  if (env.databaseUrl) return { url: env.databaseUrl };
  for (let attempt = 0; attempt < 3; attempt++) {
    const running = await findEmbeddedServer(env.dataDir);
    if (running) return { url: running };
    const served = await serveEmbeddedDatabase(env.dataDir);
    if (served) return served;
  }
  throw new Error(`Could not open or reach the embedded database in ${env.dataDir}.`);
}

/**
 * `migrateEmbedded`: apply db/migrations first when the database is the embedded one, so the CLI works
 * on a fresh clone before `npm start` ever ran. PostgreSQL is left to its operator (`db migrate`).
 */
export function getConnection(options: { migrateEmbedded?: boolean } = {}): Promise<Connection> {
  const holder = globalThis as Holder;
  holder[KEY] ??= resolveDatabaseUrl().then(async ({ url, stop }) => {
    const connection = connect(url, { onClose: stop, max: getEnv().databasePoolMax });
    if (options.migrateEmbedded && getEnv().embedded) {
      try {
        if (await migrationsPending(connection.sql)) await migrateDatabase(url);
      } catch (error) {
        await connection.close();
        throw error;
      }
    }
    return connection;
  });
  holder[KEY].catch(() => delete holder[KEY]);
  return holder[KEY];
}

export async function getDb(): Promise<Db> {
  return (await getConnection()).db;
}

export async function closeConnection(): Promise<void> {
  const holder = globalThis as Holder;
  const pending = holder[KEY];
  delete holder[KEY];
  if (pending) await (await pending).close();
}
