import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { migrateDatabase } from "../../db/migrate";
import { openBlankDatabase } from "../support/database";

const MIGRATIONS = path.join(process.cwd(), "db/migrations");

/** A copy of the migrations folder whose journal stops before `tag`: an installation from before it. */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "greenlight-migrations-"));
  cpSync(MIGRATIONS, dir, { recursive: true });
  const file = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(file, "utf8")) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  if (at < 0) throw new Error(`no migration ${tag}`);
  writeFileSync(file, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  return dir;
}

// An installation from before environments became data upgrades in place: its requests and live
// deployments keep their environments, production stays protected, and the enum is gone.
describe.skipIf(Boolean(inject("skipReason")))(`upgrading to environments as data [${inject("engine")}]`, () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it("keeps every request's and deployment's environment, and adds the defaults", async () => {
    const blank = await openBlankDatabase();
    cleanup.push(blank.close);
    const older = migrationsBefore("0014_environments");
    cleanup.push(() => rmSync(older, { recursive: true, force: true }));
    await migrateDatabase(blank.url, older);

    const sql = postgres(blank.url, { max: 1, onnotice: () => undefined });
    cleanup.push(() => sql.end({ timeout: 5 }));
    await sql`insert into users (id, email, name) values ('u1', 'old@example.com', 'Old Timer')`;
    const [team] = await sql`insert into teams (name) values ('Legacy') returning id`;
    const [model] =
      await sql`insert into models (name, team_id, owner_id) values ('old-model', ${team!.id}, 'u1') returning id`;
    const [version] = await sql`
      insert into model_versions (model_id, version, source_uri, framework, hyperparameters, dataset_name, dataset_version, metrics, created_by)
      values (${model!.id}, 'v1', 's3://old/v1', 'sklearn', '{}', 'tx', '1', '{}', 'u1') returning id`;
    const requests = await sql`
      insert into change_requests (kind, title, model_version_id, environment, status, requested_by, team_id)
      values ('deployment', 'Old staging', ${version!.id}, 'staging', 'deployed', 'u1', ${team!.id}),
             ('deployment', 'Old production', ${version!.id}, 'production', 'draft', 'u1', ${team!.id})
      returning id, environment`;
    await sql`
      insert into model_deployments (model_id, environment, model_version_id, request_id, deployed_at)
      values (${model!.id}, 'staging', ${version!.id}, ${requests[0]!.id}, now())`;

    await migrateDatabase(blank.url);

    expect(await sql`select environment from change_requests order by title`).toEqual([
      { environment: "production" },
      { environment: "staging" },
    ]);
    expect(await sql`select environment from model_deployments`).toEqual([{ environment: "staging" }]);
    expect(
      await sql`select name, position, protected, requires_deployed_in from environments order by position`,
    ).toEqual([
      { name: "development", position: 10, protected: false, requires_deployed_in: null },
      { name: "staging", position: 20, protected: false, requires_deployed_in: null },
      { name: "production", position: 30, protected: true, requires_deployed_in: null },
    ]);
    const [type] = await sql`select count(*)::int as n from pg_type where typname = 'environment'`;
    expect(type!.n).toBe(0);
    // The foreign key holds from now on: an environment nobody defined is refused by the database too.
    await expect(sql`update change_requests set environment = 'moon' where title = 'Old staging'`).rejects.toThrow(
      /foreign key/,
    );
  });
});
