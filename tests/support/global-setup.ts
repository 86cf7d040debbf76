import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../../db/migrate";
import { servePglite } from "../../db/pglite-server";
import { databaseUrl, TEST_DATABASE_URL, type Engine } from "./engines";

declare module "vitest" {
  export interface ProvidedContext {
    engine: Engine;
    /** pglite: a migrated data folder to copy; postgres: a migrated template database name. */
    template: string;
    skipReason: string;
  }
}

// Migrate ONCE per run (that is also the "migrations apply from empty" check); each test file then
// copies the template, so every file gets a fresh database of its own in well under a second.
export default async function setup(project: TestProject) {
  const engine = project.config.env.TEST_ENGINE as Engine;
  project.provide("engine", engine);
  if (engine === "pglite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "greenlight-pglite-template-"));
    const db = await PGlite.create(path.join(dir, "pgdata"));
    const server = await servePglite(db);
    await migrateDatabase(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
    await server.close();
    await db.close();
    project.provide("template", dir);
    project.provide("skipReason", "");
    return () => rmSync(dir, { recursive: true, force: true });
  }

  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined, connect_timeout: 5 });
  try {
    await admin`select 1`;
  } catch (error) {
    await admin.end({ timeout: 1 }).catch(() => undefined);
    const reason = `PostgreSQL unreachable at ${TEST_DATABASE_URL} (${(error as Error).message}); set TEST_DATABASE_URL`;
    console.warn(`\n[integration-postgres] SKIPPED: ${reason}\n`);
    project.provide("template", "");
    project.provide("skipReason", reason);
    return;
  }
  const prefix = `greenlight_t${Date.now().toString(36)}${process.pid}`;
  const template = `${prefix}_template`;
  await admin.unsafe(`create database ${template}`);
  await migrateDatabase(databaseUrl(TEST_DATABASE_URL, template));
  project.provide("template", template);
  project.provide("skipReason", "");
  return async () => {
    const dbs = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${prefix + "%"}`;
    for (const { datname } of dbs) await admin.unsafe(`drop database if exists ${datname} with (force)`);
    await admin.end({ timeout: 5 });
  };
}
