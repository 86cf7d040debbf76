import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { connect, type Connection } from "../../db";
import { serveEmbeddedDatabase, type EmbeddedServer } from "../../db/embedded";
import { migrateDatabase } from "../../db/migrate";
import { seedDemoOrganisation } from "../../lib/demo/seed";
import { generatePrivateKeyPem, signingKeyFromPem } from "../../lib/signing/ed25519";
import { jwkOf, signEnvelope } from "../../lib/signing/dsse";
import { IN_TOTO_PAYLOAD_TYPE, receiptStatement, statementBytes } from "../../lib/requests/receipt-statement";
import { runCli } from "../support/cli";
import { describeDb } from "../support/database";

const cli = runCli;

// On PGlite: the test process plays the running server (it holds the folder and serves it), and the
// CLI must reach the database through it; then, with no server, the CLI opens the folder itself.
// On PostgreSQL: the CLI uses DATABASE_URL.
describeDb("npm run cli", (t) => {
  const embedded = inject("engine") === "pglite";
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "greenlight-cli-"));
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
      env = {
        DATABASE_URL: t().url,
        AUTH_SECRET: "cli-test-secret-cli-test-secret-0123456789",
        SIGNING_KEY_FILE: path.join(dataDir, "signing-key.pem"),
      };
    }
    await seedDemoOrganisation(connection.db);
  });
  afterAll(async () => {
    if (embedded) {
      await connection.close();
      await server?.stop();
    }
  });

  it("users list, users grant and audit verify work (through the running server when embedded)", async () => {
    const list = await cli(["users", "list"], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/alice@example\.com\s+active\s+requester\s+Fraud/);
    expect(list.stdout).toContain("7 users");

    const grant = await cli(["users", "grant", "--email", "bob@example.com", "--role", "security"], env);
    expect(grant).toMatchObject({ code: 0 });
    expect(grant.stdout).toContain("Granted security to bob@example.com.");
    const [row] = await connection.sql`select actor_email from audit_events where action = 'user.role_granted'`;
    expect(row!.actor_email).toMatch(/^system:cli:/);

    const add = await cli(
      ["users", "add", "--email", "Root@Example.com", "--name", "Root", "--role", "admin", "--role", "ml_lead"],
      env,
    );
    expect(add.code).toBe(0);
    expect(add.stdout).toContain("Added root@example.com (admin, ml_lead).");
    expect((await cli(["users", "add", "--email", "root@example.com"], env)).stderr).toContain(
      "already has an account",
    );

    const verify = await cli(["audit", "verify"], env);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/Audit chain intact: 3 events/);
  });

  it("audit checkpoint, public-key, export and an offline verify of the file with the public key", async () => {
    const first = await cli(["audit", "checkpoint"], env);
    expect(first).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Signed checkpoint at event #3 /) });
    expect((await cli(["audit", "checkpoint"], env)).stdout).toContain(
      "Already signed: the last checkpoint is at the head, event #3.",
    );
    const verify = await cli(["audit", "verify"], env);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/1 signed checkpoint\(s\), the last at event #3 .*0 event\(s\) since/);

    const dir = mkdtempSync(path.join(os.tmpdir(), "greenlight-audit-export-"));
    const publicKey = await cli(["audit", "public-key"], env);
    expect(publicKey).toMatchObject({ code: 0, stdout: expect.stringMatching(/^-----BEGIN PUBLIC KEY-----\n/) });
    expect(existsSync(path.join(dataDir, "signing-key.pem"))).toBe(true); // the key lives beside the data, not in it
    const keyFile = path.join(dir, "key.pem");
    writeFileSync(keyFile, publicKey.stdout);
    const file = path.join(dir, "audit.jsonl");
    expect((await cli(["audit", "export", "--out", file], env)).code).toBe(0);
    expect(readFileSync(file, "utf8").split("\n")[0]).toContain(JSON.stringify(publicKey.stdout));

    // Offline: no database at all (an unreachable server, no data folder).
    const offline = { PATH: env.PATH ?? process.env.PATH ?? "", DATABASE_URL: "postgres://nobody@127.0.0.1:9/none" };
    const good = await cli(["audit", "verify", "--file", file, "--public-key", keyFile], offline);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/^Audit export intact: 3 events, .*1 signed checkpoint/);

    // The database checked against the checkpoints of an export kept elsewhere, too.
    const against = await cli(["audit", "verify", "--checkpoints", file, "--public-key", keyFile], env);
    expect(against.code, against.stderr).toBe(0);
    expect(against.stdout).toMatch(/^Audit chain intact: 3 events/);

    const tampered = path.join(dir, "tampered.jsonl");
    const edited = readFileSync(file, "utf8")
      .split("\n")
      .map((line) =>
        line.includes('"type":"event","seq":2,') ? line.replace(/"entity_id":"[^"]*"/, '"entity_id":"edited"') : line,
      );
    writeFileSync(tampered, edited.join("\n"));
    const bad = await cli(["audit", "verify", "--file", tampered, "--public-key", keyFile], offline);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Audit export BROKEN at event #2: hash does not match/);

    const strangerFile = path.join(dir, "stranger.pem");
    writeFileSync(strangerFile, signingKeyFromPem(generatePrivateKeyPem()).publicKeyPem);
    const wrong = await cli(["audit", "verify", "--file", file, "--public-key", strangerFile], offline);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /Audit export BROKEN: line 1 says the file was signed with key .*not the given public key/,
    );

    for (const args of [
      ["audit", "verify", "--file", file],
      ["audit", "verify", "--file", file, "--public-key", path.join(dir, "missing.pem")],
      ["audit", "verify", "--file", path.join(dir, "missing.jsonl"), "--public-key", keyFile],
      ["audit", "verify", "--file", file, "--public-key", file],
      ["audit", "verify", "--checkpoints", path.join(dir, "missing.jsonl")],
    ]) {
      expect((await cli(args, offline)).code, args.join(" ")).toBe(2);
    }
  });

  it("bad arguments print usage and exit 2", async () => {
    for (const args of [
      [],
      ["users"],
      ["users", "grant", "--email", "bob@example.com"],
      ["users", "grant", "--email", "bob@example.com", "--role", "overlord"],
      ["audit", "verify", "--bogus"],
      ["frobnicate"],
    ]) {
      const run = await cli(args, env);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toContain("usage: npm run cli -- <command>");
    }
  });

  it("advisories import and deps scan: one JSON document for CI, exit 1 on an open finding at or above --fail-on, 2 on a line it could not read", async () => {
    const osv = (id: string) => path.join(import.meta.dirname, "../fixtures/osv", `${id}.json`);
    const imported = await cli(["advisories", "import", osv("PYSEC-2019-217"), osv("MAL-2024-4312")], env);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain("Imported 2 OSV records: 2 new");
    const dir = mkdtempSync(path.join(os.tmpdir(), "greenlight-scan-"));
    const risky = path.join(dir, "requirements.txt");
    writeFileSync(risky, "numpy==1.26.4\njinja2==2.9  # templates\nreqeusts==2.31.0\nnot a requirement\n");
    const scan = await cli(["deps", "scan", risky], env);
    expect(scan.code).toBe(2); // line 4 was not understood: the findings cannot be the whole story
    expect(scan.stderr).toMatch(/^requirements\.txt:4: /m);
    const doc = JSON.parse(scan.stdout);
    expect(doc).toMatchObject({
      format: "requirements",
      failOn: "high",
      failed: true,
      target: { pythonVersion: "3.11" },
    });
    expect(
      doc.dependencies.map((d: { normalizedName: string; line: number }) => `${d.normalizedName}:${d.line}`),
    ).toEqual(["numpy:1", "jinja2:2", "reqeusts:3"]);
    expect(doc.findings.map((f: { id: string }) => f.id).sort()).toEqual(["MAL-2024-4312", "PYSEC-2019-217"]);
    expect(doc.errors).toMatchObject([{ line: 4 }]);
    const readable = path.join(dir, "requirements-ok.txt");
    writeFileSync(readable, "numpy==1.26.4\nreqeusts==2.31.0\n");
    expect((await cli(["deps", "scan", readable], env)).code).toBe(1);
    const clean = path.join(dir, "clean.txt");
    writeFileSync(clean, "numpy==1.26.4\n");
    const ok = await cli(
      ["deps", "scan", clean, "--format", "requirements", "--python", "3.12", "--fail-on", "low"],
      env,
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ failed: false, findings: [], target: { pythonVersion: "3.12" } });
    for (const args of [
      ["deps", "scan"],
      ["deps", "scan", risky, "--fail-on", "extreme"],
      ["deps", "scan", path.join(dir, "missing.txt")],
      ["deps", "scan", risky, "--format", "gemfile"],
      ["advisories", "import"],
    ]) {
      expect((await cli(args, env)).code, args.join(" ")).toBe(2);
    }
  });

  it("audit verify exits 1 and names the first tampered event", async () => {
    await connection.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger audit_events_no_update_delete`);
      await tx.execute(sql`update audit_events set actor_email = 'someone-else@example.com' where seq = 2`);
      await tx.execute(sql`alter table audit_events enable trigger audit_events_no_update_delete`);
    });
    const verify = await cli(["audit", "verify"], env);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toContain("Audit chain BROKEN at event #2");
  });

  it("receipt verify: exit 0 with one OK line; 1 naming a wrong digest, an altered payload, a wrong key or expiry; rotate-key keeps old keys", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "greenlight-receipt-"));
    const digest = `sha256:${"5".repeat(64)}`;
    const write = (name: string, value: unknown) => {
      const file = path.join(dir, name);
      writeFileSync(file, JSON.stringify(value));
      return file;
    };
    const predicate = (expiresAt: string) => ({
      request: {
        number: "CR-1001",
        revision: 1,
        title: "t",
        kind: "deployment",
        environment: "production",
        emergency: false,
      },
      model: {
        name: "fraud-detector",
        version: "v3",
        gitCommit: null,
        trainingRunId: null,
        dataset: { name: "tx", version: "1" },
      },
      decisions: [],
      autoPassed: [],
      policies: [],
      costBenefit: null,
      dependencyReview: null,
      issuer: "http://localhost:3000",
      issuedAt: new Date().toISOString(),
      expiresAt,
    });
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const sign = (key: ReturnType<typeof signingKeyFromPem>, expiresAt = later) =>
      signEnvelope(key, IN_TOTO_PAYLOAD_TYPE, statementBytes(receiptStatement(digest, predicate(expiresAt))));
    const key = signingKeyFromPem(generatePrivateKeyPem());
    const good = write("good.json", sign(key));
    const keys = write("keys.json", { keys: [jwkOf(key)] });

    const ok = await cli(["receipt", "verify", good, "--keys", keys, "--digest", digest], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim().split("\n")).toHaveLength(1);
    expect(ok.stdout).toContain(`Receipt OK: CR-1001 revision 1 approves fraud-detector@v3 (${digest}) for production`);
    const other = `sha256:${"6".repeat(64)}`;
    const wrongDigest = await cli(["receipt", "verify", good, "--keys", keys, "--digest", other], env);
    expect(wrongDigest).toMatchObject({ code: 1 });
    expect(wrongDigest.stderr).toContain(`the receipt approves ${digest}, not ${other}`);
    const envelope = sign(key);
    const altered = write("altered.json", { ...envelope, payload: Buffer.from("{}").toString("base64") });
    expect((await cli(["receipt", "verify", altered, "--keys", keys], env)).code).toBe(1);
    const stranger = write("stranger.json", { keys: [jwkOf(signingKeyFromPem(generatePrivateKeyPem()))] });
    const wrongKey = await cli(["receipt", "verify", good, "--keys", stranger], env);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain("no signature verifies");
    const expired = write("expired.json", sign(key, new Date(Date.now() - 1000).toISOString()));
    expect((await cli(["receipt", "verify", expired, "--keys", keys], env)).stderr).toContain("the approval expired");
    expect((await cli(["receipt", "verify"], env)).code).toBe(2);
    expect((await cli(["receipt", "verify", good, "--digest", "md5:x"], env)).code).toBe(2);

    // Without --keys: the installation's published keys. A rotation keeps the old key published.
    const keyFile = path.join(dataDir, "signing-key.pem");
    const oldPem = (await cli(["receipt", "public-key"], env)).stdout;
    const before = signingKeyFromPem(readFileSync(keyFile, "utf8"));
    expect(oldPem).toBe(before.publicKeyPem);
    const rotated = await cli(["receipt", "rotate-key"], env);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain(`${before.keyId} is retired and stays published`);
    const after = signingKeyFromPem(readFileSync(keyFile, "utf8"));
    expect(after.keyId).not.toBe(before.keyId);
    expect(existsSync(path.join(`${keyFile}.retired`, `${before.keyId}.pem`))).toBe(true);
    const signedBefore = write("before.json", sign(before));
    const signedAfter = write("after.json", sign(after));
    expect((await cli(["receipt", "verify", signedBefore, "--digest", digest], env)).code).toBe(0);
    expect((await cli(["receipt", "verify", signedAfter, "--digest", digest], env)).code).toBe(0);
    expect((await cli(["receipt", "verify", good], env)).code).toBe(1); // a key this installation never published
    // The audit chain's checkpoints (signed with the retired key by the tests above) are still
    // trusted: whatever else verify reports (the test before this one tampers with an event), it is
    // never a checkpoint signed by an unknown key.
    const audit = await cli(["audit", "verify"], env);
    expect(audit.stderr).not.toContain("cannot be trusted");
    expect(audit.stderr).not.toContain("signing key");
  });

  it("a bad environment is refused with a message naming the variable", async () => {
    const run = await cli(["users", "list"], { ...env, DATABASE_URL: "mysql://nope", DEMO_MODE: "perhaps" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("DATABASE_URL must be a postgres:// or postgresql:// URL");
    expect(run.stderr).toContain('DEMO_MODE must be true or false (got "perhaps")');
  });

  if (embedded)
    it("with no server running, the CLI opens the folder itself and lets go of it", async () => {
      await connection.close();
      await server!.stop();
      server = null;
      expect(existsSync(path.join(dataDir, "greenlight.lock"))).toBe(false);
      const list = await cli(["users", "list"], env);
      expect(list.code).toBe(0);
      expect(list.stdout).toContain("8 users");
      expect(existsSync(path.join(dataDir, "greenlight.lock"))).toBe(false);
      server = await serveEmbeddedDatabase(dataDir); // reopen: the data survived
      connection = connect(server!.url);
      expect((await connection.sql`select count(*)::int as n from users`)[0]!.n).toBe(8);
    });
});
