import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { connect, type Connection } from "../../db";
import { serveEmbeddedDatabase, type EmbeddedServer } from "../../db/embedded";
import { migrateDatabase } from "../../db/migrate";
import { models, modelVersions, teams } from "../../db/schema";
import { seedDemoOrganisation } from "../../lib/demo/seed";
import { pickMlflowModel } from "../../lib/mlflow/pick-model";
import { runCli } from "../support/cli";
import { describeDb } from "../support/database";
import { FakeMlflow } from "../support/fake-mlflow";
import { actorFor } from "../support/fixtures";

// `npm run cli -- mlflow sync` as a separate process against the loopback MLflow stand-in (on PGlite
// through the embedded server the test process holds, as cli.test.ts does; on PostgreSQL directly).
describeDb("npm run cli -- mlflow sync", (t) => {
  const embedded = inject("engine") === "pglite";
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "greenlight-mlflow-cli-"));
  const mlflow = new FakeMlflow();
  let server: EmbeddedServer | null = null;
  let connection: Connection;
  let env: Record<string, string>;

  beforeAll(async () => {
    if (embedded) {
      server = await serveEmbeddedDatabase(dataDir);
      await migrateDatabase(server!.url);
      connection = connect(server!.url);
      env = { DATA_DIR: dataDir };
    } else {
      connection = t();
      env = { DATABASE_URL: t().url, AUTH_SECRET: "cli-test-secret-cli-test-secret-0123456789" };
    }
    await seedDemoOrganisation(connection.db);
    await mlflow.start();
    mlflow.token = "cli-token";
    mlflow.pageCap = 2;
    mlflow.addModel("churn", 3);
  });
  afterAll(async () => {
    await mlflow.stop();
    if (embedded) {
      await connection.close();
      await server?.stop();
    }
  });

  it("refuses a non-http address with usage (exit 2)", async () => {
    const run = await runCli(["mlflow", "sync", "--url", "file:///etc/passwd"], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--url: Only http and https addresses are fetched.");
  });

  it("connects on first use, then imports a picked model's versions across pages; --model names one not picked", async () => {
    const first = await runCli(["mlflow", "sync", "--url", mlflow.url, "--token", "cli-token"], env);
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toContain("No models are picked yet");

    const [fraud] = await connection.db.select().from(teams).where(eq(teams.name, "Fraud"));
    const ada = await actorFor(connection.db, "ada@example.com");
    await pickMlflowModel({ db: connection.db, actor: ada }, { mlflowName: "churn", teamId: fraud!.id });

    const sync = await runCli(["mlflow", "sync", "--url", mlflow.url, "--model", "churn"], env);
    expect(sync.stdout).toContain("churn: 3 new version(s)");
    expect(sync.stdout).toContain("Imported 3 version(s).");
    expect(sync.stderr).toContain("churn: page 2, 3 imported so far");
    expect(sync.code).toBe(0);
    const versions = await connection.db
      .select({ version: modelVersions.version })
      .from(modelVersions)
      .innerJoin(models, eq(models.id, modelVersions.modelId))
      .where(eq(models.name, "churn"));
    expect(versions.map((v) => v.version).sort()).toEqual(["1", "2", "3"]);

    const unknown = await runCli(["mlflow", "sync", "--url", mlflow.url, "--model", "nope"], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("nope: not picked");

    const other = await runCli(["mlflow", "sync", "--url", "http://127.0.0.1:9"], env);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`Greenlight is connected to ${mlflow.url}`);
  });
});
