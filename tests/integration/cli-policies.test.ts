import { createServer, type Server } from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { Session } from "next-auth";
import { afterAll, beforeAll, expect, inject, it, vi } from "vitest";
import { connect, type Connection } from "../../db";
import { serveEmbeddedDatabase, type EmbeddedServer } from "../../db/embedded";
import { migrateDatabase } from "../../db/migrate";
import { ensureDefaultPolicies } from "../../lib/policies/ensure-defaults";
import { createToken } from "../../lib/tokens/create-token";
import { runCli } from "../support/cli";
import { describeDb } from "../support/database";
import { actorFor, seed } from "../support/fixtures";
import { addPeople } from "../support/registry";

// `policies export` and `policies apply` as a team runs them: on the local database, and from CI
// against a server over HTTP (GREENLIGHT_URL + GREENLIGHT_TOKEN). The test process plays the server:
// a plain HTTP listener hands each call to the route handlers.
const state = vi.hoisted(() => ({ db: null as unknown, session: null as Session | null }));
vi.mock("../../lib/session/config", () => ({ auth: async () => state.session, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
const exportRoute = await import("../../app/api/v1/policies/export/route");
const applyRoute = await import("../../app/api/v1/policies/apply/route");

const cli = runCli;

describeDb("npm run cli -- policies", (t) => {
  const embedded = inject("engine") === "pglite";
  const dir = mkdtempSync(path.join(os.tmpdir(), "greenlight-cli-policies-"));
  let pgServer: EmbeddedServer | null = null;
  let connection: Connection;
  let local: Record<string, string>;
  let http: Server;
  let remote: Record<string, string>;

  beforeAll(async () => {
    if (embedded) {
      pgServer = await serveEmbeddedDatabase(dir);
      await migrateDatabase(pgServer!.url);
      connection = connect(pgServer!.url);
      local = { DATA_DIR: dir };
    } else {
      connection = t();
      local = { DATABASE_URL: t().url, AUTH_SECRET: "cli-test-secret-cli-test-secret-0123456789" };
    }
    state.db = connection.db;
    await seed(connection.db);
    await ensureDefaultPolicies(connection.db);
    // A second ML lead, so a staging rule of two leads can complete (apply refuses one that cannot).
    await addPeople(connection.db, "lead", 1, "ml_lead");
    const token = (
      await createToken({ db: connection.db, actor: await actorFor(connection.db, "ada@example.com") }, { name: "ci" })
    ).token;
    http = createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      const url = `http://127.0.0.1${req.url}`;
      const handler = req.url?.startsWith("/api/v1/policies/export") ? exportRoute.GET : applyRoute.POST;
      const answer = await handler(
        new Request(url, {
          method: req.method,
          headers: req.headers as Record<string, string>,
          body: req.method === "GET" ? undefined : body,
        }),
        { params: Promise.resolve({}) },
      );
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(await answer.text());
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    // No database at all for the remote runs: everything must go over HTTP.
    remote = {
      GREENLIGHT_URL: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
      GREENLIGHT_TOKEN: token,
      DATABASE_URL: "postgres://nobody@127.0.0.1:9/none",
    };
  });
  afterAll(async () => {
    await new Promise((resolve) => http?.close(resolve));
    if (embedded) {
      await connection.close();
      await pgServer?.stop();
    }
  });

  it("exports, plans, applies, re-applies idempotently and prunes, locally and over HTTP", async () => {
    const yaml = await cli(["policies", "export"], local);
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toMatch(/^# Greenlight approval policies/);
    const overHttp = await cli(["policies", "export"], remote);
    expect(overHttp).toMatchObject({ code: 0, stdout: yaml.stdout });
    const asJson = await cli(["policies", "export", "--format", "json"], remote);
    expect(JSON.parse(asJson.stdout).policies.length).toBeGreaterThan(1);

    // The team edits the file in git: a comment, a stricter staging rule, one policy left out.
    const edited = yaml.stdout
      .replace(/( {2}- name: Staging deployments\n(?:.*\n)*? +quorum: )1/, "$12")
      .replace("  - name: Staging deployments", "  # two leads since the outage\n  - name: Staging deployments");
    const withoutLarge = edited.replace(/ {2}- name: Large spend\n(?: {4}.*\n)+/, "");
    expect(withoutLarge).not.toContain("Large spend");
    const file = path.join(dir, "policies.yaml");
    writeFileSync(file, withoutLarge);

    const dry = await cli(["policies", "apply", file, "--dry-run"], remote);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/~ change +Staging deployments \(version 1 -> 2\): stages/);
    expect(dry.stdout).toContain("! kept       Large spend");
    expect(dry.stdout).toContain("0 to add, 1 to change, 4 unchanged, 0 to deactivate");
    expect(dry.stdout).toContain("Dry run: nothing was applied.");

    const applied = await cli(["policies", "apply", file], remote);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("Applied.");
    const [staging] = await connection.sql`select version from approval_policies where name = 'Staging deployments'`;
    expect(staging!.version).toBe(2);

    const again = await cli(["policies", "apply", file], local);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("0 to add, 0 to change, 5 unchanged, 0 to deactivate");
    expect(again.stdout).toContain("Nothing to apply");

    const pruned = await cli(["policies", "apply", file, "--prune"], local);
    expect(pruned.stdout).toMatch(/- deactivate +Large spend/);
    const [large] = await connection.sql`select active, version from approval_policies where name = 'Large spend'`;
    expect(large).toMatchObject({ active: false, version: 2 });
  });

  it("exits 1 on a validation error, naming the line and the field (locally and over HTTP)", async () => {
    const file = path.join(dir, "broken.yaml");
    writeFileSync(
      file,
      [
        "policies:",
        "  - name: Broken",
        "    stages:",
        "      - steps:",
        "          - name: Review",
        "            role: ml_lead",
        "            scope: everyone",
        "            quorum: 1",
        "            slaHours: 24",
        "",
      ].join("\n"),
    );
    for (const env of [local, remote]) {
      const run = await cli(["policies", "apply", file], env);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("line 7, policies.0.stages.0.steps.0.scope: Scope is any or requester_team.");
    }
    const [none] = await connection.sql`select count(*)::int as n from approval_policies where name = 'Broken'`;
    expect(none!.n).toBe(0);
    expect((await cli(["policies", "apply"], local)).code).toBe(2);
  });
});
