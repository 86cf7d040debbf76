/**
 * Reads the dependency manifests of a model (requirements, pyproject, locks, conda, npm, SBOM)
 * into one Dependency list for the security review. Pure: no filesystem, network or env access;
 * includes resolve only among the uploaded files. No input makes it throw.
 */
import { parseCondaEnvironment } from "./conda";
import { parseCycloneDx } from "./cyclonedx";
import { Findings } from "./dependency";
import { detectFormat } from "./detect";
import { parsePackageLock } from "./package-lock";
import { parsePipfileLock } from "./pipfile-lock";
import { parsePyproject } from "./pyproject";
import { parsePoetryLock, parseUvLock } from "./python-locks";
import { parseRequirements } from "./requirements";
export { requirementIncludes } from "./requirements";
import {
  defaultTarget,
  type Dependency,
  type ManifestFormat,
  type ParseInput,
  type ParseResult,
  type TargetEnvironment,
} from "./types";

export type {
  Dependency,
  DependencyKind,
  Ecosystem,
  ManifestFile,
  ManifestFormat,
  ManifestIssue,
  MarkerResult,
  ParseInput,
  ParseResult,
  TargetEnvironment,
} from "./types";
export { defaultTarget } from "./types";
export { detectFormat } from "./detect";
export { evaluateMarker, isValidMarker } from "./markers";
export { normalizeNpmName, normalizePep440, normalizePyPIName } from "./names";
export { isPep508Error, parsePep508, type Pep508Error, type Pep508Requirement } from "./pep508";
export { translatePoetryConstraint } from "./poetry-constraints";
export { parseCondaSpec } from "./conda-spec";
export { parsePurl } from "./purl";
export { versionSatisfies } from "./specifiers";

/** Prefix of the error reported if a parser ever throws: tests assert it never appears. */
export const INTERNAL_FAILURE = "internal parser failure";

function run(format: ManifestFormat, input: ParseInput, target: TargetEnvironment): Findings {
  const main = input.files[0];
  const content = main?.content ?? "";
  switch (format) {
    case "requirements":
      return parseRequirements(input.files, target);
    case "pyproject":
      return parsePyproject(content, target);
    case "poetry-lock":
      return parsePoetryLock(content, target);
    case "uv-lock":
      return parseUvLock(content, target);
    case "pipfile-lock":
      return parsePipfileLock(content, target);
    case "conda":
      return parseCondaEnvironment(input.files, target);
    case "package-lock":
      return parsePackageLock(content);
    case "cyclonedx":
      return parseCycloneDx(content);
  }
}

/** npm's limit on a package name (PyPI's real names are far shorter); versions and specifiers get the same room. */
export const MAX_PACKAGE_NAME = 214;
const MAX_SPEC = 1_000;

function unreasonable(dependency: Dependency): string | null {
  const shown = `${dependency.name.slice(0, 40)}${dependency.name.length > 40 ? "…" : ""}`;
  if (dependency.name.length > MAX_PACKAGE_NAME || dependency.normalizedName.length > MAX_PACKAGE_NAME)
    return `the package name ${shown} is over ${MAX_PACKAGE_NAME} characters, longer than any registry allows`;
  if ((dependency.pinnedVersion?.length ?? 0) > MAX_PACKAGE_NAME || (dependency.spec?.length ?? 0) > MAX_SPEC)
    return `the version of ${shown} is too long to be a real version`;
  for (const value of [dependency.name, dependency.spec, dependency.marker, dependency.url, dependency.licence])
    if (value && (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value) || !value.isWellFormed()))
      return `the entry for ${shown.toWellFormed()} holds control characters or invalid Unicode`;
  return null;
}

export function parseManifest(request: ParseInput): ParseResult {
  // Editors on Windows often save a byte-order mark, which JSON.parse and pip-style parsing reject.
  const input = {
    ...request,
    files: request.files.map((file) => ({ name: file.name, content: file.content.replace(/^\uFEFF/, "") })),
  };
  const target: TargetEnvironment = { ...defaultTarget, ...request.target };
  const main = input.files[0];
  const format = input.format ?? (main ? detectFormat(main.name, main.content) : null);
  if (!main || !format) {
    const message = main ? `could not recognise the format of ${main.name}` : "no file uploaded";
    return { format: format ?? "requirements", dependencies: [], errors: [{ line: null, message }], warnings: [] };
  }
  let findings: Findings;
  try {
    findings = run(format, input, target);
  } catch (error) {
    // Defence in depth for the review page: a parser bug must become a visible error, not a 500.
    findings = new Findings();
    findings.error(null, `${INTERNAL_FAILURE}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const named = findings.dependencies.filter((dependency) => dependency.normalizedName.trim() !== "");
  if (named.length < findings.dependencies.length) findings.warn(null, "entries without a package name were skipped");
  // A name or version no registry allows is an error at its line, not a row too large for the index.
  const dependencies = named.filter((dependency) => {
    const why = unreasonable(dependency);
    if (why) findings.error(dependency.line, why);
    return !why;
  });
  return { format, dependencies, errors: findings.errors, warnings: findings.warnings };
}
