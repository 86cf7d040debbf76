import "server-only";
import type { Db } from "@/db";
import {
  defaultTarget,
  detectFormat,
  parseManifest,
  type ManifestFile,
  type ManifestFormat,
} from "../dependencies/manifests";
import {
  atLeast,
  findVulnerabilities,
  buildAdvisoryIndex,
  ignoredFindings,
  SEVERITY_ORDER,
  type ReviewedDependency,
  type SeverityLevel,
} from "../dependencies/review";
import { ValidationError } from "../errors";
import { advisoriesFor, advisorySnapshot } from "./advisory-store";
import { activeAllowlist } from "./allowlist";
import { licencePolicy } from "./licence-policy";
import { declared, reviewDependencies } from "./review";

export const FAIL_ON_LEVELS = SEVERITY_ORDER.filter((l) => l !== "none") as SeverityLevel[];

/** Exit codes of `cli deps scan`: a CI gate must never read "clean" from a file it did not fully read. */
export const SCAN_EXIT = { clean: 0, findings: 1, unreadable: 2 } as const;

/**
 * `cli deps scan`: one JSON document for a CI pipeline: the parsed dependencies, the findings against
 * the stored advisories (organisation-wide allowlist ignores applied) and whether the build should fail.
 * `files[0]` is the manifest; the rest are its includes. `unread` lists inputs the caller could not
 * read: like a parse error, any of them makes the scan exit 2 whatever the findings.
 */
export async function scanManifest(
  db: Db,
  input: { files: ManifestFile[]; unread?: string[]; format?: string; python?: string; failOn: SeverityLevel },
  now = new Date(),
) {
  const main = input.files[0]!;
  const fileName = main.name;
  const format = (input.format ?? detectFormat(main.name, main.content)) as ManifestFormat | null;
  if (!format)
    throw new ValidationError("The format could not be told from the file name or content.", {
      format: [
        "Pass --format (requirements, pyproject, poetry-lock, uv-lock, pipfile-lock, conda, package-lock, cyclonedx).",
      ],
    });
  const target = { ...defaultTarget, ...(input.python ? { pythonVersion: input.python } : {}) };
  const parsed = parseManifest({ files: input.files, format, target });
  const [records, snapshot, entries, policy] = await Promise.all([
    advisoriesFor(db, parsed.dependencies),
    advisorySnapshot(db),
    activeAllowlist(db, now),
    licencePolicy(db),
  ]);
  const findings = findVulnerabilities(parsed.dependencies, buildAdvisoryIndex(records));
  const { open, ignored } = ignoredFindings(findings, entries, { teamId: null, now });
  const reviews = reviewDependencies(parsed.dependencies, records, policy, format);
  // A package whose markers are false on the target is not installed there: shown, never failing.
  const absent = new Set<ReviewedDependency>(parsed.dependencies.filter((d) => d.markerResult === "false"));
  const notInstalled = (f: (typeof open)[number]) => absent.has(f.dependency);
  const failing = open.filter((f) => !notInstalled(f) && atLeast(f.severity.level, input.failOn));
  const problems = [
    ...(input.unread ?? []),
    ...parsed.errors.map((e) => `${e.file ?? fileName}${e.line === null ? "" : `:${e.line}`}: ${e.message}`),
  ];
  const exitCode =
    problems.length > 0 ? SCAN_EXIT.unreadable : failing.length > 0 ? SCAN_EXIT.findings : SCAN_EXIT.clean;
  return {
    document: {
      file: fileName,
      format,
      target,
      advisories: { records: snapshot.count, importedAt: snapshot.importedAt },
      dependencies: parsed.dependencies.map((d, i) => ({
        ...declared(d),
        direct: d.direct,
        groups: d.groups,
        licence: reviews[i]!.licenceStatus,
        signals: reviews[i]!.signals,
      })),
      // Counted per level, unknown included: a CI log shows how much went unrated (--fail-on unknown fails on it).
      findingCounts: Object.fromEntries(
        (["critical", "high", "medium", "low", "unknown"] as const).map((level) => [
          level,
          open.filter((f) => f.severity.level === level && !notInstalled(f)).length,
        ]),
      ),
      findings: open.map((f) => ({
        package: f.dependency.name,
        version: f.dependency.pinnedVersion ?? f.dependency.spec,
        id: f.primaryId,
        ids: f.ids,
        severity: f.severity.level,
        score: f.severity.score,
        // Where the rating came from ("severity", "database_specific", "alias GHSA-…"); null when unknown.
        severitySource: f.severity.source ?? null,
        status: f.status,
        fixedVersions: f.fixedVersions,
        malware: f.malware,
        ...(notInstalled(f) ? { notInstalled: true } : {}),
      })),
      ignored: ignored.map((i) => ({
        package: i.finding.dependency.name,
        id: i.finding.primaryId,
        allowlistEntries: i.entryIds,
      })),
      errors: parsed.errors,
      warnings: parsed.warnings,
      failOn: input.failOn,
      // Unread input fails the scan too: nothing is known about what it would have declared.
      failed: exitCode !== SCAN_EXIT.clean,
      unread: input.unread ?? [],
    },
    problems,
    exitCode,
  };
}
