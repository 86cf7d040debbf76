import "server-only";
import { strFromU8, unzipSync } from "fflate";
import { assertRole } from "../auth/actor";
import { reassertRole } from "../auth/reassert";
import { recordAudit } from "../audit/record";
import { parseOsvRecord, type OsvRecord } from "../dependencies/review";
import { ValidationError } from "../errors";
import { inTransaction, type VerbContext } from "../verb";
import { storeAdvisories } from "./advisory-store";

export type AdvisoryFile = { name: string; bytes: Uint8Array };
export type ImportProblem = { file: string; problem: string };

const MAX_PROBLEMS = 50;

/** Reads OSV records from JSON files (one record, or a list) and zips of them; a bad file is reported, never fatal. */
export function readAdvisoryFiles(files: readonly AdvisoryFile[]): {
  records: OsvRecord[];
  problems: ImportProblem[];
  withdrawn: number;
} {
  const records: OsvRecord[] = [];
  const problems: ImportProblem[] = [];
  let withdrawn = 0;
  const addJson = (file: string, text: string) => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      problems.push({ file, problem: "not JSON" });
      return;
    }
    for (const item of Array.isArray(json) ? json : [json]) {
      const parsed = parseOsvRecord(item);
      if (!parsed.ok) problems.push({ file, problem: parsed.problems.slice(0, 3).join("; ") });
      else {
        if (parsed.record.withdrawn) withdrawn++;
        records.push(parsed.record);
      }
    }
  };
  for (const file of files) {
    const isZip = file.bytes[0] === 0x50 && file.bytes[1] === 0x4b;
    if (!isZip) {
      addJson(file.name, strFromU8(file.bytes));
      continue;
    }
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(file.bytes, { filter: (f) => f.name.toLowerCase().endsWith(".json") });
    } catch {
      problems.push({ file: file.name, problem: "not a readable zip file" });
      continue;
    }
    for (const [name, bytes] of Object.entries(entries)) addJson(`${file.name}/${name}`, strFromU8(bytes));
  }
  return { records, problems, withdrawn };
}

/**
 * Fills the advisory store offline from OSV JSON (the UI upload and `cli advisories import`).
 * Withdrawn records are stored (so a withdrawal replaces the old copy) and skipped by every review.
 */
export async function importAdvisories(ctx: VerbContext, files: readonly AdvisoryFile[]) {
  assertRole(ctx.actor, "security", "admin");
  if (!files.length || files.every((f) => f.bytes.length === 0))
    throw new ValidationError("Choose an OSV JSON file or a zip of them.", {
      file: ["Choose an OSV JSON file or a zip of them."],
    });
  const { records, problems, withdrawn } = readAdvisoryFiles(files);
  if (!records.length)
    throw new ValidationError(`No OSV records found: ${problems[0]?.problem ?? "the files are empty"}.`, {
      file: problems.slice(0, 5).map((p) => `${p.file}: ${p.problem}`),
    });
  const now = ctx.now ?? new Date();
  const actor = ctx.actor;
  return inTransaction(ctx, async (tx) => {
    if (actor.kind === "user") await reassertRole(tx, actor, actor.roles.includes("security") ? "security" : "admin");
    const stored = await storeAdvisories(tx, records, "import", now);
    await recordAudit(
      tx,
      actor,
      {
        action: "advisories.imported",
        entityType: "advisory",
        entityId: files
          .map((f) => f.name)
          .join(", ")
          .slice(0, 200),
        data: { ...stored, withdrawn, problems: problems.length, files: files.map((f) => f.name) },
      },
      now,
    );
    return { ...stored, withdrawn, records: records.length, problems: problems.slice(0, MAX_PROBLEMS) };
  });
}
