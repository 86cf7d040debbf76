import "server-only";
import { strFromU8, unzipSync } from "fflate";
import { z } from "zod";
import { recordAudit } from "../audit/record";
import { parseOsvRecord, type OsvRecord } from "../dependencies/review";
import { ValidationError } from "../errors";
import { defineVerb } from "../verb";
import { storeAdvisories } from "./advisory-store";
import { recheckManifests } from "./recheck-manifests";

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
export const importAdvisories = defineVerb({
  allow: ["security", "admin"],
  input: z
    .array(z.object({ name: z.string().max(500), bytes: z.instanceof(Uint8Array) }))
    .refine((files) => files.some((f) => f.bytes.length > 0), {
      path: ["file"],
      message: "Choose an OSV JSON file or a zip of them.",
    }),
  // Reading (and unzipping) the files is CPU work: done before the transaction opens.
  async prepare(_ctx, files) {
    const read = readAdvisoryFiles(files);
    if (!read.records.length) {
      throw new ValidationError(`No OSV records found: ${read.problems[0]?.problem ?? "the files are empty"}.`, {
        file: read.problems.slice(0, 5).map((p) => `${p.file}: ${p.problem}`),
      });
    }
    return read;
  },
  async run({ work, tx, actor, now }, files, { records, problems, withdrawn }) {
    const { counts: stored, changedIds } = await storeAdvisories(tx, records, "import", now);
    // In this unit of work, bounded to the packages the changed records name: a request must never be
    // left approved on a snapshot the organisation has already replaced (issue 13, item 8).
    const rechecked = await recheckManifests(work, actor, changedIds);
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
        data: {
          ...stored,
          withdrawn,
          problems: problems.length,
          files: files.map((f) => f.name),
          rechecked: { dependencies: rechecked.dependencies, flagged: rechecked.flagged },
        },
      },
      now,
    );
    return {
      ...stored,
      withdrawn,
      records: records.length,
      problems: problems.slice(0, MAX_PROBLEMS),
      rechecked,
    };
  },
});
