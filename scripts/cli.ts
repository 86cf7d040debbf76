// `npm run cli -- <command>`: operator commands that work the same on the embedded database (through
// the running server when there is one) and on PostgreSQL.
// Emails are rendered here too: run without the react-server condition (see allow-server-only.ts).
import "./allow-server-only";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { migrateDatabase } from "@/db/migrate";
import { systemActor } from "@/lib/auth/actor";
import { verifyAuditChain } from "@/lib/audit/verify";
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
import type { SeverityLevel } from "@/lib/dependencies/review";
import { importAdvisories } from "@/lib/security/import-advisories";
import { FAIL_ON_LEVELS, scanManifest } from "@/lib/security/scan";
import { MANIFEST_FORMATS } from "@/lib/security/schemas";

const USAGE = `usage: npm run cli -- <command>

commands:
  users list                              everyone, with roles, teams and status
  users add --email <email> [--name <n>] [--role <r>]...
                                          add a person (the first admin of a new install)
  users grant --email <email> --role <r>  give a role (${ROLES.join(", ")})
  token create --email <email> --name <n> an API token for that person (printed last, once)
  audit verify                            walk the audit chain; names the first bad event
  db migrate                              apply db/migrations
  db seed                                 add the demo organisation (idempotent)
  db reset --yes                          delete every row and start again (migrate + seed)
  advisories import <path>...             load OSV records (JSON files or zips) into the advisory store
  deps scan <file> [--format <f>] [--python 3.11] [--fail-on high]
                                          parse a manifest, check it against the stored advisories and
                                          print one JSON document; exit 1 on an open finding at or
                                          above --fail-on (${FAIL_ON_LEVELS.join(", ")})`;

class UsageError extends Error {}

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
    },
    allowPositionals: true,
    strict: true,
  });
  const actor = systemActor(`cli:${process.env.USER ?? "operator"}`);
  switch (`${group} ${command}`) {
    case "users list": {
      const { db } = await getConnection();
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
      const { db } = await getConnection();
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
      const { db } = await getConnection();
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
      const { db } = await getConnection();
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
      const { db } = await getConnection();
      const result = await verifyAuditChain(db);
      if (result.ok) {
        console.log(`Audit chain intact: ${result.events} events, head ${result.headHash.slice(0, 16)}…`);
        return 0;
      }
      console.error(`Audit chain BROKEN at event #${result.firstBad.seq}: ${result.firstBad.reason}`);
      console.error(`(${result.events} events before it are intact)`);
      return 1;
    }
    case "db migrate": {
      const { url, stop } = await resolveDatabaseUrl();
      await migrateDatabase(url).finally(() => stop?.());
      console.log("Migrations applied.");
      return 0;
    }
    case "db seed": {
      const { db } = await getConnection();
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
        const { sql } = await getConnection();
        await sql.unsafe("drop schema if exists drizzle cascade; drop schema public cascade; create schema public;");
        await closeConnection();
      }
      const { url, stop } = await resolveDatabaseUrl();
      await migrateDatabase(url).finally(() => stop?.());
      const { db } = await getConnection();
      await ensureDefaultPolicies(db);
      const { created } = await seedDemoOrganisation(db);
      await seedDemoRegistry(db);
      console.log(`Reset done; seeded ${created.length} people and teams.`);
      return 0;
    }
    case "advisories import": {
      if (!positionals.length) throw new UsageError("advisories import needs at least one path");
      const { db } = await getConnection();
      const files = positionals.map((p) => ({ name: path.basename(p), bytes: new Uint8Array(readFileSync(p)) }));
      const r = await importAdvisories({ db, actor }, files);
      console.log(
        `Imported ${r.records} OSV records: ${r.added} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.withdrawn} withdrawn.`,
      );
      for (const p of r.problems) console.error(`skipped ${p.file}: ${p.problem}`);
      return 0;
    }
    case "deps scan": {
      const [file] = positionals;
      if (!file || positionals.length > 1) throw new UsageError("deps scan needs exactly one manifest file");
      const failOn = (values["fail-on"] ?? "high") as SeverityLevel;
      if (!FAIL_ON_LEVELS.includes(failOn)) throw new UsageError(`--fail-on is one of ${FAIL_ON_LEVELS.join(", ")}`);
      if (values.format && !(MANIFEST_FORMATS as readonly string[]).includes(values.format))
        throw new UsageError(`--format is one of ${MANIFEST_FORMATS.join(", ")}`);
      if (values.python && !/^3\.\d{1,2}(\.\d{1,2})?$/.test(values.python))
        throw new UsageError("--python is a version like 3.11");
      let content: string;
      try {
        content = readFileSync(file, "utf8");
      } catch {
        throw new UsageError(`cannot read ${file}`);
      }
      const { db } = await getConnection();
      const { document, exitCode } = await scanManifest(db, {
        fileName: path.basename(file),
        content,
        format: values.format,
        python: values.python,
        failOn,
      });
      console.log(JSON.stringify(document, null, 2));
      return exitCode;
    }
    default:
      throw new UsageError(
        group ? `unknown command: ${[group, command].filter(Boolean).join(" ")}` : "no command given",
      );
  }
}

main(process.argv.slice(2))
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
