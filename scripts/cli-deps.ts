// `deps scan` and `advisories import`: the CLI commands a CI pipeline runs, kept apart from
// cli-commands.ts so that they start without loading the rest of the app (see scripts/cli.ts).
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { systemActor } from "@/lib/auth/actor";
import { closeConnection, getConnection } from "@/lib/db";
import { detectFormat, requirementIncludes, type ManifestFile } from "@/lib/dependencies/manifests";
import type { SeverityLevel } from "@/lib/dependencies/review";
import { EnvError } from "@/lib/env";
import { isAppError, ValidationError } from "@/lib/errors";
import { FAIL_ON_LEVELS, SCAN_EXIT, scanManifest } from "@/lib/security/scan";
import { MANIFEST_FORMATS } from "@/lib/security/schemas";

class UsageError extends Error {}

// pip reads includes from disk relative to the including file; so does the scan. An include that
// cannot be read is reported (and fails the scan), never silently dropped.
const MAX_FILES = 100;

function readManifest(file: string, format: string | undefined): { files: ManifestFile[]; unread: string[] } {
  let content: string;
  try {
    content = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  const files: ManifestFile[] = [{ name: path.basename(file), content }];
  const unread: string[] = [];
  if ((format ?? detectFormat(files[0]!.name, content)) !== "requirements") return { files, unread };
  const root = path.dirname(path.resolve(file));
  const seen = new Set(files.map((f) => f.name));
  for (let i = 0; i < files.length && files.length < MAX_FILES; i++) {
    const from = files[i]!;
    for (const include of requirementIncludes(from)) {
      if (seen.has(include.name)) continue;
      seen.add(include.name);
      const onDisk = path.resolve(root, path.dirname(from.name), include.reference);
      try {
        files.push({ name: include.name, content: readFileSync(onDisk, "utf8") });
      } catch (error) {
        unread.push(
          `${from.name}: cannot read included file ${include.reference} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
        );
      }
    }
  }
  return { files, unread };
}

async function main(argv: string[]): Promise<number> {
  const [group, command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      format: { type: "string" },
      python: { type: "string" },
      "fail-on": { type: "string" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (`${group} ${command}` === "advisories import") {
    if (!positionals.length) throw new UsageError("advisories import needs at least one path");
    const files = positionals.map((p) => {
      try {
        return { name: path.basename(p), bytes: new Uint8Array(readFileSync(p)) };
      } catch {
        throw new UsageError(`cannot read ${p}`);
      }
    });
    const { db } = await getConnection({ migrateEmbedded: true });
    const actor = systemActor(`cli:${process.env.USER ?? "operator"}`);
    // Loaded only here: an import re-checks manifests and mails people, which `deps scan` never does.
    const { importAdvisories } = await import("@/lib/security/import-advisories");
    const r = await importAdvisories({ db, actor }, files);
    console.log(
      `Imported ${r.records} OSV records: ${r.added} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.withdrawn} withdrawn.`,
    );
    for (const p of r.problems) console.error(`skipped ${p.file}: ${p.problem}`);
    return 0;
  }
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageError("deps scan needs exactly one manifest file");
  const failOn = (values["fail-on"] ?? "high") as SeverityLevel;
  if (!FAIL_ON_LEVELS.includes(failOn)) throw new UsageError(`--fail-on is one of ${FAIL_ON_LEVELS.join(", ")}`);
  if (values.format && !(MANIFEST_FORMATS as readonly string[]).includes(values.format))
    throw new UsageError(`--format is one of ${MANIFEST_FORMATS.join(", ")}`);
  if (values.python && !/^3\.\d{1,2}(\.\d{1,2})?$/.test(values.python))
    throw new UsageError("--python is a version like 3.11");
  const { files, unread } = readManifest(file, values.format);
  const { db } = await getConnection({ migrateEmbedded: true });
  const { document, problems, exitCode } = await scanManifest(db, {
    files,
    unread,
    format: values.format,
    python: values.python,
    failOn,
  });
  console.log(JSON.stringify(document, null, 2));
  for (const problem of problems) console.error(problem);
  return exitCode;
}

export const run = (argv: string[]) =>
  main(argv)
    .then(async (code) => {
      await closeConnection();
      process.exit(code);
    })
    .catch(async (error: unknown) => {
      await closeConnection().catch(() => undefined);
      if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
        const { USAGE } = await import("./cli-commands");
        console.error(`${(error as Error).message}\n\n${USAGE}`);
        process.exit(SCAN_EXIT.unreadable);
      }
      if (error instanceof ValidationError) {
        const details = Object.entries(error.fieldErrors ?? {}).map(([f, m]) => `  --${f}: ${m.join(" ")}`);
        console.error(`${error.message}\n${details.join("\n")}`);
        process.exit(SCAN_EXIT.unreadable);
      }
      if (error instanceof EnvError || isAppError(error)) {
        console.error(error.message);
        process.exit(1);
      }
      // A PostgreSQL database nobody migrated (the embedded one migrates itself): say what to run.
      const cause = (error as { cause?: { code?: string } }).cause ?? error;
      if ((cause as { code?: string }).code === "42P01") {
        console.error("The database has no Greenlight tables yet: run `npm run cli -- db migrate` first.");
        process.exit(SCAN_EXIT.unreadable);
      }
      console.error(error);
      process.exit(1);
    });
