/**
 * pip requirements files, including -r/-c includes resolved only among the uploaded files
 * (never from disk or network: the review must see exactly what was submitted).
 */
import { Findings, makeDependency } from "./dependency";
import { evaluateMarker, isValidMarker } from "./markers";
import { normalizePyPIName } from "./names";
import { isPep508Error, parsePep508 } from "./pep508";
import { fragmentHashes, nameFromLocation, pythonDependency, urlKind } from "./python-dependency";
import {
  environmentVariables,
  logicalLines,
  optionTokens,
  splitRequirementAndOptions,
  type LogicalLine,
  type OptionToken,
} from "./requirements-lines";
import type { Dependency, ManifestFile, TargetEnvironment } from "./types";

type Mode = "requirement" | "constraint";
const MAX_INCLUDE_DEPTH = 32;
const HASH = /^(sha256|sha384|sha512):[0-9a-fA-F]+$/;

// Options that change where packages come from: the reviewer must know about them.
const SOURCE_WARNINGS: Readonly<Record<string, (value: string) => string>> = Object.freeze({
  "--index-url": (v: string) => `--index-url ${v}: packages come from this index instead of PyPI`,
  "--extra-index-url": (v: string) =>
    `--extra-index-url ${v}: pip takes the highest version found on any index, so a same-named package on another index can replace the intended one (dependency confusion)`,
  "--find-links": (v: string) => `--find-links ${v}: packages may be installed from this location, outside any index`,
  "--trusted-host": (v: string) => `--trusted-host ${v}: TLS certificate checks are turned off for this host`,
});
const LONG_NAMES: Readonly<Record<string, string>> = Object.freeze({
  "-r": "--requirement",
  "-c": "--constraint",
  "-e": "--editable",
  "-i": "--index-url",
  "-f": "--find-links",
});
const IGNORED = new Set([
  "--no-index",
  "--pre",
  "--prefer-binary",
  "--no-binary",
  "--only-binary",
  "--use-feature",
  "--config-settings",
  "--global-option",
  "--install-option",
]);

function dirname(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash + 1);
}

/** Resolves "./a/../b.txt" against the including file's folder, without touching any filesystem. */
function joinPath(base: string, relative: string): string {
  const parts: string[] = [];
  for (const part of `${relative.startsWith("/") ? "" : base}${relative}`.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== "." && part !== "") parts.push(part);
  }
  return parts.join("/");
}

export class RequirementsSession {
  private readonly stack: string[] = [];
  private readonly parsed = new Set<string>();
  private readonly hashedLines: string[] = [];
  private requireHashes = false;
  private readonly requirements: { dependency: Dependency; file: string | undefined }[] = [];

  constructor(
    private readonly files: ManifestFile[],
    private readonly target: TargetEnvironment,
    private readonly findings: Findings,
    private readonly mainName: string,
  ) {}

  /** Issues in the main file carry no file name; those in included files name their file. */
  private label(fileName: string): string | undefined {
    return fileName === this.mainName ? undefined : fileName;
  }

  parseFile(file: ManifestFile, mode: Mode = "requirement"): void {
    this.parsed.add(`${mode}:${file.name}`);
    this.stack.push(file.name);
    this.parseLines(logicalLines(file.content), file.name, mode);
    this.stack.pop();
  }

  /** Also used for the `- pip:` list of a conda environment, one entry per line. */
  parseLines(lines: LogicalLine[], fileName: string, mode: Mode): void {
    const label = this.label(fileName);
    const constrained: string[] = [];
    for (const { line, text } of lines) {
      for (const variable of environmentVariables(text)) {
        this.findings.warn(
          line,
          `\${${variable}} is not expanded here; the value used at install time is unknown`,
          label,
        );
      }
      if (text.startsWith("-")) {
        this.optionLine(text, line, fileName, mode, constrained);
        continue;
      }
      const { requirement, options } = splitRequirementAndOptions(text);
      const dependency = this.requirement(requirement, line, label);
      if (!dependency) continue;
      this.addWithOptions(dependency, optionTokens(options), line, fileName, mode, constrained);
    }
    if (mode === "constraint" && constrained.length > 0) {
      this.findings.warn(
        null,
        `constraints file ${fileName} limits versions of ${constrained.join(", ")}; constraints are not dependencies`,
        label,
      );
    }
  }

  private requirement(text: string, line: number, label: string | undefined): Dependency | null {
    if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\/|^file:|^[./~]/.test(text)) return this.location(text, line, label, false);
    const parsed = parsePep508(text);
    if (isPep508Error(parsed)) {
      this.findings.error(line, `invalid requirement: ${parsed.error}`, label);
      return null;
    }
    return pythonDependency(parsed, this.target, { direct: true, line });
  }

  /** A bare URL or path (pip accepts these without "name @"); the name comes from the location. */
  private location(text: string, line: number, label: string | undefined, editable: boolean): Dependency {
    const split = /\s+;/.exec(text);
    const url = split ? text.slice(0, split.index).trim() : text.trim();
    const guessed = nameFromLocation(url);
    if (!guessed) this.findings.warn(line, `cannot tell the package name of ${url}; add #egg=<name>`, label);
    const name = guessed ?? url;
    const marker = split ? text.slice(split.index + split[0].length).trim() : null;
    if (marker !== null && !isValidMarker(marker))
      this.findings.error(line, `invalid environment marker "${marker}"`, label);
    return makeDependency({
      ecosystem: "PyPI",
      name,
      normalizedName: guessed ? normalizePyPIName(guessed) : url.toLowerCase(),
      kind: editable ? "editable" : urlKind(url),
      url,
      hashes: fragmentHashes(url),
      direct: true,
      line,
      marker,
      markerResult: marker === null ? null : evaluateMarker(marker, this.target),
    });
  }

  private optionLine(text: string, line: number, fileName: string, mode: Mode, constrained: string[]): void {
    const label = this.label(fileName);
    const tokens = optionTokens(text);
    const editable = tokens.findIndex((t) => t.name === "-e" || t.name === "--editable");
    if (editable >= 0) {
      const value = tokens[editable]?.value?.trim();
      if (!value) return this.findings.error(line, "-e needs a path or URL", label);
      const dependency = this.location(value, line, label, true);
      const rest = tokens.filter((_, index) => index !== editable);
      return this.addWithOptions(dependency, rest, line, fileName, mode, constrained);
    }
    for (const token of tokens) this.globalOption(token, line, fileName, mode);
  }

  private globalOption(token: OptionToken, line: number, fileName: string, mode: Mode): void {
    const label = this.label(fileName);
    const name = Object.hasOwn(LONG_NAMES, token.name) ? (LONG_NAMES[token.name] ?? token.name) : token.name;
    if (name === "--require-hashes") {
      this.requireHashes = true;
    } else if (name === "--requirement" || name === "--constraint") {
      if (token.value === null) this.findings.error(line, `${name} needs a file name`, label);
      else this.include(token.value, name === "--constraint" ? "constraint" : mode, line, fileName);
    } else if (Object.hasOwn(SOURCE_WARNINGS, name)) {
      if (token.value === null) this.findings.error(line, `${name} needs a value`, label);
      else this.findings.warn(line, SOURCE_WARNINGS[name]!(token.value), label);
    } else if (name === "--hash") {
      this.findings.error(line, "--hash must follow a requirement on the same line", label);
    } else if (!IGNORED.has(name)) {
      this.findings.warn(line, `unknown option ${name} ignored`, label);
    }
  }

  private addWithOptions(
    dependency: Dependency,
    tokens: OptionToken[],
    line: number,
    fileName: string,
    mode: Mode,
    constrained: string[],
  ): void {
    const label = this.label(fileName);
    const hashes = [...dependency.hashes];
    for (const token of tokens) {
      if (token.name !== "--hash") {
        if (!IGNORED.has(token.name))
          this.findings.warn(line, `option ${token.name} is not allowed after a requirement; ignored`, label);
      } else if (token.value !== null && HASH.test(token.value)) {
        hashes.push(token.value);
      } else {
        this.findings.error(line, `invalid --hash ${token.value ?? ""}: expected sha256/sha384/sha512:<hex>`, label);
      }
    }
    if (mode === "constraint") {
      constrained.push(dependency.name);
      return;
    }
    const withHashes = { ...dependency, hashes };
    if (hashes.length > 0) this.hashedLines.push(`${label ?? fileName}:${line}`);
    this.requirements.push({ dependency: withHashes, file: label });
    this.findings.add(withHashes);
  }

  private include(reference: string, mode: Mode, line: number, fromFile: string): void {
    const label = this.label(fromFile);
    if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(reference)) {
      return this.findings.error(line, `${reference} is remote; it is not fetched, upload it instead`, label);
    }
    const wanted = joinPath(dirname(fromFile), reference);
    const file =
      this.files.find((f) => f.name === reference || joinPath("", f.name) === wanted) ??
      this.files.find((f) => f.name.slice(f.name.lastIndexOf("/") + 1) === wanted.slice(wanted.lastIndexOf("/") + 1));
    if (!file) return this.findings.error(line, `included file ${reference} was not uploaded`, label);
    if (this.stack.includes(file.name)) {
      return this.findings.warn(line, `include cycle ${[...this.stack, file.name].join(" -> ")} skipped`, label);
    }
    if (this.stack.length >= MAX_INCLUDE_DEPTH) return this.findings.error(line, "includes nested too deeply", label);
    if (this.parsed.has(`${mode}:${file.name}`)) return;
    this.parseFile(file, mode);
  }

  /** Cross-file checks that need every requirement: pip's all-or-nothing hash checking. */
  finish(): void {
    const hashing = this.requireHashes || this.hashedLines.length > 0;
    if (!hashing) return;
    const reason = this.requireHashes
      ? "--require-hashes is set"
      : `hashes are given elsewhere (${this.hashedLines[0]})`;
    for (const { dependency, file } of this.requirements) {
      if (dependency.kind === "vcs" || dependency.kind === "editable") {
        this.findings.warn(
          dependency.line,
          `${dependency.name} is a ${dependency.kind} requirement, which pip's hash-checking mode cannot verify`,
          file,
        );
      } else if (dependency.hashes.length === 0) {
        this.findings.warn(
          dependency.line,
          `${dependency.name} has no --hash but ${reason}: pip's hash-checking mode will refuse to install (partial hashing)`,
          file,
        );
      } else if (dependency.kind === "range") {
        this.findings.warn(
          dependency.line,
          `${dependency.name} is not pinned with ==, which pip's hash-checking mode requires`,
          file,
        );
      }
    }
  }
}

export function parseRequirements(files: ManifestFile[], target: TargetEnvironment): Findings {
  const findings = new Findings();
  const [main] = files;
  if (!main) return findings;
  const session = new RequirementsSession(files, target, findings, main.name);
  session.parseFile(main);
  session.finish();
  return findings;
}

/**
 * The local files a requirements file includes with -r/-c, each with the name the parser will look
 * it up by, so that a caller with a filesystem (the CLI) can supply them. Remote includes are left
 * out: the parser reports them itself.
 */
export function requirementIncludes(file: ManifestFile): { reference: string; name: string }[] {
  const includes: { reference: string; name: string }[] = [];
  for (const { text } of logicalLines(file.content)) {
    if (!text.startsWith("-")) continue;
    for (const token of optionTokens(text)) {
      const name = Object.hasOwn(LONG_NAMES, token.name) ? LONG_NAMES[token.name] : token.name;
      if ((name !== "--requirement" && name !== "--constraint") || token.value === null) continue;
      if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(token.value)) continue;
      includes.push({ reference: token.value, name: joinPath(dirname(file.name), token.value) });
    }
  }
  return includes;
}
