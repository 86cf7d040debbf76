import "server-only";
import type { Db } from "@/db";
import { defaultTarget, detectFormat, parseManifest, type ManifestFormat } from "../dependencies/manifests";
import {
  atLeast,
  findVulnerabilities,
  buildAdvisoryIndex,
  ignoredFindings,
  SEVERITY_ORDER,
  type SeverityLevel,
} from "../dependencies/review";
import { ValidationError } from "../errors";
import { advisoriesFor, advisorySnapshot } from "./advisory-store";
import { activeAllowlist } from "./allowlist";
import { licencePolicy } from "./licence-policy";
import { declared, reviewDependencies } from "./review";

export const FAIL_ON_LEVELS = SEVERITY_ORDER.filter((l) => l !== "none") as SeverityLevel[];

/**
 * `cli deps scan`: one JSON document for a CI pipeline: the parsed dependencies, the findings against
 * the stored advisories (organisation-wide allowlist ignores applied) and whether the build should fail.
 */
export async function scanManifest(
  db: Db,
  input: { fileName: string; content: string; format?: string; python?: string; failOn: SeverityLevel },
  now = new Date(),
) {
  const format = (input.format ?? detectFormat(input.fileName, input.content)) as ManifestFormat | null;
  if (!format)
    throw new ValidationError("The format could not be told from the file name or content.", {
      format: [
        "Pass --format (requirements, pyproject, poetry-lock, uv-lock, pipfile-lock, conda, package-lock, cyclonedx).",
      ],
    });
  const target = { ...defaultTarget, ...(input.python ? { pythonVersion: input.python } : {}) };
  const parsed = parseManifest({ files: [{ name: input.fileName, content: input.content }], format, target });
  const [records, snapshot, entries, policy] = await Promise.all([
    advisoriesFor(db, parsed.dependencies),
    advisorySnapshot(db),
    activeAllowlist(db, now),
    licencePolicy(db),
  ]);
  const findings = findVulnerabilities(parsed.dependencies, buildAdvisoryIndex(records));
  const { open, ignored } = ignoredFindings(findings, entries, { teamId: null, now });
  const reviews = reviewDependencies(parsed.dependencies, records, policy, format);
  const failing = open.filter((f) => atLeast(f.severity.level, input.failOn));
  return {
    document: {
      file: input.fileName,
      format,
      target,
      advisories: { records: snapshot.count, importedAt: snapshot.importedAt },
      dependencies: parsed.dependencies.map((d, i) => ({
        ...declared(d),
        licence: reviews[i]!.licenceStatus,
        signals: reviews[i]!.signals,
      })),
      findings: open.map((f) => ({
        package: f.dependency.name,
        version: f.dependency.pinnedVersion ?? f.dependency.spec,
        id: f.primaryId,
        ids: f.ids,
        severity: f.severity.level,
        score: f.severity.score,
        status: f.status,
        fixedVersions: f.fixedVersions,
        malware: f.malware,
      })),
      ignored: ignored.map((i) => ({
        package: i.finding.dependency.name,
        id: i.finding.primaryId,
        allowlistEntries: i.entryIds,
      })),
      errors: parsed.errors,
      warnings: parsed.warnings,
      failOn: input.failOn,
      failed: failing.length > 0,
    },
    exitCode: failing.length > 0 ? 1 : 0,
  };
}
