// Every command but the two in cli-deps.ts (scripts/cli.ts picks the module). Operator commands that work the same on the embedded database (through
// the running server when there is one) and on PostgreSQL.
// Emails are rendered here too: run without the react-server condition (see allow-server-only.ts).
import "./allow-server-only";
import { createReadStream, createWriteStream, readFileSync, rmSync } from "node:fs";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import path from "node:path";
import { parseArgs } from "node:util";
import { migrateDatabase } from "@/db/migrate";
import { systemActor } from "@/lib/auth/actor";
import type { VerifyResult } from "@/lib/audit/chain-walk";
import type { AuditCheckpoint } from "@/lib/audit/checkpoint";
import { checkpointAuditChain } from "@/lib/audit/checkpoint-audit-chain";
import { exportAuditChain } from "@/lib/audit/export";
import { exportedCheckpoints, ExportFileCheck } from "@/lib/audit/export-file";
import { verifyAuditChain } from "@/lib/audit/verify";
import { verifyingKeyFromPem, type VerifyingKey } from "@/lib/signing/ed25519";
import { loadSigningKey } from "@/lib/signing/key-file";
import { keysFromJwks } from "@/lib/signing/dsse";
import { publishedKeys } from "@/lib/signing/published-keys";
import { rotateSigningKey } from "@/lib/audit/rotate-signing-key";
import { checkReceipt } from "@/lib/requests/receipt-statement";
import { closeConnection, getConnection, resolveDatabaseUrl } from "@/lib/db";
import { seedDemoOrganisation } from "@/lib/demo/seed";
import { seedDemoRegistry } from "@/lib/demo/seed-registry";
import { ensureDefaultPolicies } from "@/lib/policies/ensure-defaults";
import { EnvError, getEnv } from "@/lib/env";
import { isAppError, ValidationError } from "@/lib/errors";
import { settleDeliveries } from "@/lib/notifications/deliver";
import { findEmbeddedServer } from "@/db/embedded";
import { ROLES } from "@/db/schema/org";
import { createUser } from "@/lib/users/create-user";
import { grantRole } from "@/lib/users/grant-role";
import { createToken } from "@/lib/tokens/create-token";
import { findUserByEmail, listUsers } from "@/lib/users/queries";
import { syncFromCli } from "@/lib/mlflow/cli-sync";
import { FAIL_ON_LEVELS } from "@/lib/security/scan";
import { policiesCommand } from "./cli-policies";
import { PIPELINE_USAGE } from "./cli-pipeline";

export const USAGE = `usage: npm run cli -- <command>

commands:
  users list                              everyone, with roles, teams and status
  users add --email <email> [--name <n>] [--role <r>]...
                                          add a person (the first admin of a new install)
  users grant --email <email> --role <r>  give a role (${ROLES.join(", ")})
  token create --email <email> --name <n> an API token for that person (printed last, once)
  audit verify [--public-key <pem>] [--checkpoints <earlier-export.jsonl>]
                                          walk the audit chain against its signed checkpoints (and
                                          those of an export kept elsewhere); names the first problem
                                          (with the installation's key unless --public-key is given)
  audit verify --file <export.jsonl> --public-key <pem>
                                          verify an exported chain offline, with no database
  audit checkpoint                        sign the chain's head now (the hourly job does it too)
  audit export [--out <file>]             the whole chain, its checkpoints and the public key (JSON Lines)
  audit public-key                        print the public key (PEM) that verifies checkpoints
  receipt verify <file> [--digest sha256:<hex>] [--keys <jwks.json>]
                                          check an approval receipt offline: its signature (with the
                                          keys of a JWKS file, or else this installation's published
                                          keys), its artifact digest and its expiry; exit 0 when good
  receipt public-key                      print the public key (PEM) that signs receipts now
  receipt rotate-key                      sign with a new key from now on; the old one stays published
  policies export [--format yaml|json]    every policy as one document (ordered by name) on stdout
  policies apply <file> [--dry-run] [--prune]
                                          print the plan (add / change / unchanged / deactivate), then
                                          apply it unless --dry-run; --prune deactivates policies the
                                          file leaves out; exit 1 on a problem, naming line and field.
                                          With GREENLIGHT_URL and GREENLIGHT_TOKEN (an admin's API
                                          token) set, works against that server over HTTP
  db migrate                              apply db/migrations (and the default policies if none)
  db seed                                 add the demo organisation (idempotent)
  db reset --yes                          delete every row and start again (migrate + seed)
  advisories import <path>...             load OSV records (JSON files or zips) into the advisory store
  mlflow sync --url <url> [--token <t>] [--model <name>]...
                                          import new versions of the picked MLflow models now (the
                                          job does it every 15 minutes); connects to <url> first if
                                          no tracking server is saved; --model limits it to those
                                          picked models; exit 1 when a model failed
  deps scan <file> [--format <f>] [--python 3.11] [--fail-on high]
                                          parse a manifest (and its -r/-c includes), check it against
                                          the stored advisories and print one JSON document; exit 0
                                          clean, 1 on an open finding at or above --fail-on
                                          (${FAIL_ON_LEVELS.join(", ")}), 2 when any input could not
                                          be read or understood (one line per problem on stderr)
${PIPELINE_USAGE}`;

class UsageError extends Error {}

function readPublicKey(file: string): VerifyingKey {
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  try {
    return verifyingKeyFromPem(pem);
  } catch (error) {
    throw new UsageError(`${file} is not an Ed25519 public key (${(error as Error).message})`);
  }
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not JSON`);
  }
}

function jwksKeys(file: string): VerifyingKey[] {
  try {
    return keysFromJwks(readJson(file));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
}

async function openFile(file: string) {
  const input = createReadStream(file, "utf8");
  try {
    await new Promise((resolve, reject) => input.once("open", resolve).once("error", reject));
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  return input;
}

function readLines(input: ReturnType<typeof createReadStream>) {
  return createInterface({ input, crlfDelay: Infinity });
}

async function verifyExportFile(file: string, key: VerifyingKey): Promise<VerifyResult> {
  const check = new ExportFileCheck(key);
  const input = await openFile(file);
  for await (const line of readLines(input)) {
    if (!check.line(line)) break;
  }
  input.destroy();
  return check.finish();
}

function reportVerification(result: VerifyResult, what: string): number {
  if (result.ok) {
    const last = result.lastCheckpoint;
    const anchored = last
      ? `${result.checkpoints} signed checkpoint(s), the last at event #${last.seq} (${last.createdAt}); ${result.events - last.seq} event(s) since, not yet anchored`
      : "no signed checkpoint yet (run `audit checkpoint`): a deleted tail or a rewrite would not show";
    console.log(`${what} intact: ${result.events} events, head ${result.headHash.slice(0, 16)}…; ${anchored}`);
    return 0;
  }
  const where = result.firstBad.seq === null ? "" : ` at event #${result.firstBad.seq}`;
  console.error(`${what} BROKEN${where}: ${result.firstBad.reason}`);
  console.error(`(${result.events} events before it are intact)`);
  return 1;
}

async function main(argv: string[]): Promise<number> {
  const [group, command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      email: { type: "string" },
      name: { type: "string" },
      role: { type: "string", multiple: true },
      yes: { type: "boolean" },
      format: { type: "string" },
      python: { type: "string" },
      "fail-on": { type: "string" },
      file: { type: "string" },
      "public-key": { type: "string" },
      out: { type: "string" },
      checkpoints: { type: "string" },
      digest: { type: "string" },
      keys: { type: "string" },
      "dry-run": { type: "boolean" },
      prune: { type: "boolean" },
      url: { type: "string" },
      token: { type: "string" },
      model: { type: "string", multiple: true },
    },
    allowPositionals: true,
    strict: true,
  });
  const actor = systemActor(`cli:${process.env.USER ?? "operator"}`);
  if (group === "policies") return policiesCommand(command, positionals, values, (m) => new UsageError(m), actor);
  switch (`${group} ${command}`) {
    case "users list": {
      const { db } = await getConnection({ migrateEmbedded: true });
      const people = await listUsers(db);
      for (const u of people) {
        const status = u.active ? "active" : "deactivated";
        console.log(
          `${u.email.padEnd(28)} ${status.padEnd(12)} ${(u.roles.join(",") || "-").padEnd(30)} ${u.teams.map((t) => t.name).join(",") || "-"}`,
        );
      }
      console.log(`${people.length} users`);
      return 0;
    }
    case "users add": {
      if (!values.email) throw new UsageError("users add needs --email");
      const { db } = await getConnection({ migrateEmbedded: true });
      const user = await createUser(
        { db, actor },
        { email: values.email, name: values.name, roles: values.role ?? [] },
      );
      console.log(
        `Added ${user.email}${values.role?.length ? ` (${values.role.join(", ")})` : ""}. They can sign in with an email link.`,
      );
      return 0;
    }
    case "users grant": {
      if (!values.email || values.role?.length !== 1) throw new UsageError("users grant needs --email and one --role");
      const { db } = await getConnection({ migrateEmbedded: true });
      const user = await findUserByEmail(db, values.email);
      if (!user) {
        console.error(`No user with email ${values.email}.`);
        return 1;
      }
      const role = values.role[0];
      const { changed } = await grantRole({ db, actor }, { userId: user.id, role });
      console.log(changed ? `Granted ${role} to ${user.email}.` : `${user.email} already has ${role}.`);
      return 0;
    }
    case "token create": {
      if (!values.email || !values.name) throw new UsageError("token create needs --email and --name");
      const { db } = await getConnection({ migrateEmbedded: true });
      const user = await findUserByEmail(db, values.email);
      if (!user || !user.active) {
        console.error(`No active user with email ${values.email}.`);
        return 1;
      }
      const created = await createToken({ db, actor }, { name: values.name, ownerId: user.id });
      console.log(`Token "${created.name}" for ${user.email} (prefix ${created.prefix}). It is shown once:`);
      console.log(created.token);
      return 0;
    }
    case "audit verify": {
      const trusted = values["public-key"] ? readPublicKey(values["public-key"]) : undefined;
      if (values.file) {
        if (!trusted) throw new UsageError("audit verify --file needs --public-key: the file's own key proves nothing");
        return reportVerification(await verifyExportFile(values.file, trusted), "Audit export");
      }
      let alsoCheckpoints: AuditCheckpoint[] = [];
      if (values.checkpoints) {
        const input = await openFile(values.checkpoints);
        const read = await exportedCheckpoints(readLines(input));
        input.destroy();
        if ("problem" in read) throw new UsageError(`${values.checkpoints}: ${read.problem}`);
        alsoCheckpoints = read.checkpoints;
      }
      const { db } = await getConnection({ migrateEmbedded: true });
      return reportVerification(await verifyAuditChain(db, { key: trusted, alsoCheckpoints }), "Audit chain");
    }
    case "audit checkpoint": {
      const { db } = await getConnection({ migrateEmbedded: true });
      const { created, checkpoint } = await checkpointAuditChain(db);
      if (!checkpoint) console.log("The audit chain is empty: nothing to sign.");
      else if (created) console.log(`Signed checkpoint at event #${checkpoint.seq} (${checkpoint.createdAt}).`);
      else console.log(`Already signed: the last checkpoint is at the head, event #${checkpoint.seq}.`);
      return 0;
    }
    case "audit export": {
      const { db } = await getConnection({ migrateEmbedded: true });
      const stream = Readable.fromWeb(exportAuditChain(db, loadSigningKey()) as WebReadableStream<Uint8Array>);
      await pipeline(stream, values.out ? createWriteStream(values.out) : process.stdout);
      if (values.out) console.error(`Wrote ${values.out}.`);
      return 0;
    }
    case "audit public-key": {
      const key = loadSigningKey();
      process.stdout.write(key.publicKeyPem);
      console.error(`key id ${key.keyId} (${getEnv().signingKeyFile})`);
      return 0;
    }
    case "receipt verify": {
      const [file] = positionals;
      if (!file || positionals.length > 1) throw new UsageError("receipt verify needs exactly one receipt file");
      if (values.digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(values.digest))
        throw new UsageError("--digest is sha256: and 64 lowercase hex characters");
      const envelope = readJson(file);
      const trusted = values.keys
        ? jwksKeys(values.keys)
        : await publishedKeys((await getConnection({ migrateEmbedded: true })).db);
      const check = checkReceipt(envelope, trusted, { digest: values.digest, now: new Date() });
      if (!check.ok) {
        console.error(`Receipt REFUSED: ${check.problem}.`);
        return 1;
      }
      const { request, expiresAt } = check.statement.predicate;
      console.log(
        `Receipt OK: ${request.number} revision ${request.revision} approves ${check.statement.subject[0]!.name} (${check.digest}) for ${request.environment}${expiresAt ? ` until ${expiresAt}` : ""}; signed by key ${check.keyId.slice(0, 16)}….`,
      );
      return 0;
    }
    case "receipt public-key": {
      const key = loadSigningKey();
      process.stdout.write(key.publicKeyPem);
      console.error(`key id ${key.keyId} (${getEnv().signingKeyFile})`);
      return 0;
    }
    case "receipt rotate-key": {
      const { db } = await getConnection({ migrateEmbedded: true });
      const { retired, current } = await rotateSigningKey(db, actor);
      console.log(`Rotated: now signing with key ${current.keyId}; ${retired.keyId} is retired and stays published.`);
      console.log("Restart every instance and worker so they load the new key file.");
      return 0;
    }
    case "mlflow sync": {
      if (!values.url) throw new UsageError("mlflow sync needs --url");
      const { db } = await getConnection({ migrateEmbedded: true });
      const result = await syncFromCli(db, actor, {
        url: values.url,
        token: values.token,
        models: values.model,
        onPage: ({ model, page, imported }) => console.error(`  ${model}: page ${page}, ${imported} imported so far`),
      });
      if (result.status === "not_connected") {
        console.error("No MLflow tracking server is connected.");
        return 1;
      }
      if (result.status === "busy") {
        console.error(
          `A sync is already running (since ${result.since?.toISOString() ?? "a moment ago"}); try again later.`,
        );
        return 1;
      }
      for (const m of result.models) {
        const skipped = m.skipped.length ? `; skipped ${m.skipped.join("; ")}` : "";
        console.log(`${m.mlflowName}: ${m.imported} new version(s)${m.error ? `; FAILED: ${m.error}` : ""}${skipped}`);
      }
      for (const name of result.unknown)
        console.error(`${name}: not picked (pick it on the admin page, Admin → MLflow)`);
      if (result.models.length === 0 && result.unknown.length === 0)
        console.log("No models are picked yet: pick them on the admin page (Admin → MLflow).");
      console.log(`Imported ${result.imported} version(s).`);
      return result.models.some((m) => m.error) || result.unknown.length ? 1 : 0;
    }
    case "db migrate": {
      const { url, stop } = await resolveDatabaseUrl();
      await migrateDatabase(url).finally(() => stop?.());
      // A new PostgreSQL install is migrated by this command alone (the container's migrate step, with
      // no `npm start` before it): without the default policies every request would pass unreviewed.
      const added = await ensureDefaultPolicies((await getConnection({ migrateEmbedded: true })).db);
      console.log(added ? `Migrations applied; added the ${added} default policies.` : "Migrations applied.");
      return 0;
    }
    case "db seed": {
      const { db } = await getConnection({ migrateEmbedded: true });
      await ensureDefaultPolicies(db);
      const { created } = await seedDemoOrganisation(db);
      const requests = await seedDemoRegistry(db);
      console.log(
        created.length || requests
          ? `Seeded: ${[...created, `${requests} requests`].join(", ")}`
          : "Demo organisation already present.",
      );
      return 0;
    }
    case "db reset": {
      if (!values.yes) throw new UsageError("db reset deletes every row: pass --yes to confirm");
      const env = getEnv();
      if (env.embedded) {
        if (await findEmbeddedServer(env.dataDir, 0)) {
          console.error("The server is running on this data folder: stop it first.");
          return 1;
        }
        rmSync(path.join(env.dataDir, "pgdata"), { recursive: true, force: true });
      } else {
        const { sql } = await getConnection({ migrateEmbedded: true });
        await sql.unsafe("drop schema if exists drizzle cascade; drop schema public cascade; create schema public;");
        await closeConnection();
      }
      const { url, stop } = await resolveDatabaseUrl();
      await migrateDatabase(url).finally(() => stop?.());
      const { db } = await getConnection({ migrateEmbedded: true });
      await ensureDefaultPolicies(db);
      const { created } = await seedDemoOrganisation(db);
      await seedDemoRegistry(db);
      console.log(`Reset done; seeded ${created.length} people and teams.`);
      return 0;
    }
    default:
      throw new UsageError(
        group ? `unknown command: ${[group, command].filter(Boolean).join(" ")}` : "no command given",
      );
  }
}

export const run = (argv: string[]) =>
  main(argv)
    .then(async (code) => {
      await settleDeliveries();
      await closeConnection();
      process.exit(code);
    })
    .catch(async (error: unknown) => {
      await closeConnection().catch(() => undefined);
      if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
        console.error(`${(error as Error).message}\n\n${USAGE}`);
        process.exit(2);
      }
      if (error instanceof ValidationError) {
        const details = Object.entries(error.fieldErrors ?? {}).map(
          ([field, messages]) => `  --${field}: ${messages.join(" ")}`,
        );
        console.error(`${error.message}\n${details.join("\n")}\n\n${USAGE}`);
        process.exit(2);
      }
      if (error instanceof EnvError || isAppError(error)) {
        console.error(error.message);
        process.exit(1);
      }
      console.error(error);
      process.exit(1);
    });
