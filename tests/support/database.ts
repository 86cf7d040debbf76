import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { afterAll, beforeAll, describe, inject } from "vitest";
import { connect, type Connection } from "../../db";
import { servePglite } from "../../db/pglite-server";
import { settleDeliveries } from "../../lib/notifications/deliver";
import { databaseUrl, TEST_DATABASE_URL } from "./engines";

export type TestDatabase = Connection & { url: string; engine: string };

/** A fresh database for one test file, copied from the run's migrated template. */
export async function openTestDatabase(): Promise<TestDatabase> {
  const engine = inject("engine");
  const template = inject("template");
  if (engine === "pglite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "greenlight-pglite-"));
    cpSync(template, dir, { recursive: true });
    const pglite = await PGlite.create(path.join(dir, "pgdata"));
    const server = await servePglite(pglite);
    const url = `postgres://postgres@127.0.0.1:${server.port}/postgres`;
    const connection = connect(url, {
      onClose: async () => {
        await server.close();
        await pglite.close();
        rmSync(dir, { recursive: true, force: true });
      },
    });
    return { ...connection, url, engine };
  }
  const name = `${template.replace(/_template$/, "")}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name} template ${template}`);
  await admin.end();
  const url = databaseUrl(TEST_DATABASE_URL, name);
  const connection = connect(url, {
    onClose: async () => {
      const drop = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined });
      await drop.unsafe(`drop database if exists ${name} with (force)`);
      await drop.end();
    },
  });
  return { ...connection, url, engine };
}

/** An empty database (no migrations) on the run's engine: for tests that upgrade an older schema. */
export async function openBlankDatabase(): Promise<{ url: string; close: () => Promise<void> }> {
  if (inject("engine") === "pglite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "greenlight-pglite-blank-"));
    const pglite = await PGlite.create(path.join(dir, "pgdata"));
    const server = await servePglite(pglite);
    return {
      url: `postgres://postgres@127.0.0.1:${server.port}/postgres`,
      close: async () => {
        await server.close();
        await pglite.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `${inject("template").replace(/_template$/, "")}_blank_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  return {
    url: databaseUrl(TEST_DATABASE_URL, name),
    close: async () => {
      const drop = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined });
      await drop.unsafe(`drop database if exists ${name} with (force)`);
      await drop.end();
    },
  };
}

/**
 * describe() against a fresh database on the project's engine. When PostgreSQL is unreachable the
 * block is reported as skipped, with the reason in its name: never passed silently.
 */
export function describeDb(name: string, body: (t: () => TestDatabase) => void) {
  const skipReason = inject("skipReason");
  const title = `${name} [${inject("engine")}]${skipReason ? ` (skipped: ${skipReason})` : ""}`;
  describe.skipIf(Boolean(skipReason))(title, () => {
    let database: TestDatabase | undefined;
    beforeAll(async () => {
      database = await openTestDatabase();
    });
    afterAll(async () => {
      await settleDeliveries(); // mail a verb queued must not outlive the database it reads
      await database?.close();
    });
    body(() => {
      if (!database) throw new Error("test database not open");
      return database;
    });
  });
}
