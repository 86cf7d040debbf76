// Where the integration suite finds PostgreSQL. Tests read the environment directly (they are tooling,
// not the app; lib/env.ts is for the app).
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export type Engine = "pglite" | "postgres";
export const ENGINE = (process.env.TEST_ENGINE ?? "pglite") as Engine;

export function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}
