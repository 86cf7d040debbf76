/**
 * npm package-lock.json (and npm-shrinkwrap.json): v2/v3's flat `packages` map keyed by install path,
 * and v1's nested `dependencies` tree (npm 5-6), read to the same dependencies. Local packages
 * (`file:` folders and tarballs, linked folders) are kept, marked as not from the registry.
 */
import { clean } from "semver";
import { asString, asStringArray, Findings, isRecord, makeDependency, own, ownRecord } from "./dependency";
import { normalizeNpmName } from "./names";
import { LineLocator, parseJsonDocument } from "./structured";
import type { Dependency } from "./types";

const REGISTRY = /^https:\/\/registry\.npmjs\.org\//;
const DECLARATIONS = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"];

/** "node_modules/a/node_modules/@s/b" installs "@s/b": the name follows the last node_modules/. */
export function nameFromInstallPath(path: string): string {
  const marker = "node_modules/";
  const at = path.lastIndexOf(marker);
  return at < 0 ? "" : path.slice(at + marker.length);
}

/** Code fetched from git or an arbitrary tarball bypasses the registry and its advisories. */
function origin(resolved: string | null): Pick<Dependency, "kind" | "url"> {
  if (resolved === null || REGISTRY.test(resolved)) return { kind: "pinned", url: null };
  if (/^git(\+[a-z]+)?:|^github:|^gitlab:|^bitbucket:/.test(resolved)) return { kind: "vcs", url: resolved };
  return { kind: "url", url: resolved };
}

function groupsOf(entry: Record<string, unknown>): string[] {
  const groups: string[] = [];
  if (own(entry, "dev") === true || own(entry, "devOptional") === true) groups.push("dev");
  if (own(entry, "optional") === true || own(entry, "devOptional") === true) groups.push("optional");
  if (own(entry, "peer") === true) groups.push("peer");
  return groups;
}

function licenceOf(entry: Record<string, unknown>): string | null {
  const license = own(entry, "license");
  // Very old packages declare { type: "MIT" } instead of an SPDX string.
  return asString(license) ?? (isRecord(license) ? asString(own(license, "type")) : null);
}

export function parsePackageLock(content: string): Findings {
  const findings = new Findings();
  const parsed = parseJsonDocument(content);
  if (!parsed.ok) {
    findings.error(parsed.line, parsed.message);
    return findings;
  }
  const packages = ownRecord(parsed.value, "packages");
  if (!packages) {
    const tree = own(parsed.value, "dependencies");
    if (isRecord(tree)) return parseVersion1(tree, new LineLocator(content), findings);
    findings.error(
      null,
      tree !== undefined
        ? "dependencies is not an object: not a package-lock.json"
        : "neither a packages map (npm 7+) nor a dependencies tree (lockfileVersion 1): not a package-lock.json",
    );
    return findings;
  }
  const root = ownRecord(packages, "") ?? {};
  const declared = new Set(DECLARATIONS.flatMap((field) => Object.keys(ownRecord(root, field) ?? {})));
  const lines = new LineLocator(content);
  const workspaces = asStringArray(own(root, "workspaces")).map((w) => w.replace(/\*.*$/, "").replace(/^\.\//, ""));
  const isWorkspace = (folder: string) => workspaces.some((w) => w !== "" && folder.startsWith(w));
  const direct = (path: string) => {
    const installedAs = nameFromInstallPath(path);
    return path === `node_modules/${installedAs}` && declared.has(installedAs);
  };
  for (const [path, entry] of Object.entries(packages)) {
    // The root is the project itself; workspace folders (no node_modules/) are first-party code.
    if (path === "" || !path.includes("node_modules/")) continue;
    const line = lines.findKey(`${JSON.stringify(path)}:`);
    if (!isRecord(entry)) {
      findings.error(line, `${path}: expected an object`);
      continue;
    }
    const installedAs = nameFromInstallPath(path);
    if (own(entry, "link") === true) {
      // A linked local folder: its entry is keyed by the folder ("../shared"), with the version. The
      // project's own workspaces are first-party code, not dependencies.
      const target = asString(own(entry, "resolved"));
      if (target !== null && isWorkspace(target)) continue;
      const folder = target === null ? null : ownRecord(packages, target);
      findings.add(
        localPackage(installedAs, target, folder ? asString(own(folder, "version")) : null, line, entry, direct(path)),
      );
      continue;
    }
    // An alias ("x": "npm:real@1") installs another package: review the real one.
    const name = asString(own(entry, "name")) ?? installedAs;
    if (name.trim() === "") {
      findings.error(line, `${path}: no package name`);
      continue;
    }
    if (name !== installedAs) findings.warn(line, `${installedAs} is an alias of ${name}`);
    const version = asString(own(entry, "version"));
    const resolved = asString(own(entry, "resolved"));
    if (resolved?.startsWith("file:")) {
      findings.add(localPackage(name, resolved.slice("file:".length), version, line, entry, direct(path)));
      continue;
    }
    findings.add(installedPackage(name, version, origin(resolved), entry, line, direct(path)));
  }
  return findings;
}

/** A package installed from the registry, a git repository or a URL, as both lockfile layouts give it. */
function installedPackage(
  name: string,
  version: string | null,
  source: Pick<Dependency, "kind" | "url">,
  entry: Record<string, unknown>,
  line: number | null,
  isDirect: boolean,
): Dependency {
  const integrity = asString(own(entry, "integrity"));
  return makeDependency({
    ecosystem: "npm",
    name,
    normalizedName: normalizeNpmName(name),
    spec: version,
    pinnedVersion: version === null ? null : (clean(version) ?? version),
    kind: version === null && source.kind === "pinned" ? "range" : source.kind,
    url: source.url,
    hashes: integrity === null ? [] : [integrity],
    direct: isDirect,
    line,
    licence: licenceOf(entry),
    hasInstallScript: own(entry, "hasInstallScript") === true,
    groups: groupsOf(entry),
  });
}

/**
 * A package installed from the local disk: a `file:` folder or tarball, or a linked folder. No
 * registry advisory is about these bytes, so it is listed with its path (kind "url"), unpinned, and
 * any advisory for a registry package of the same name is left for a person to judge.
 */
function localPackage(
  name: string,
  path: string | null,
  version: string | null,
  line: number | null,
  entry: Record<string, unknown>,
  isDirect = false,
): Dependency {
  return makeDependency({
    ecosystem: "npm",
    name,
    normalizedName: normalizeNpmName(name),
    spec: version,
    pinnedVersion: null,
    kind: "url",
    url: `file:${path ?? ""}`,
    hashes: [],
    direct: isDirect,
    line,
    licence: licenceOf(entry),
    hasInstallScript: own(entry, "hasInstallScript") === true,
    groups: groupsOf(entry),
  });
}

/** Nested trees deeper than this are refused rather than walked (real ones are a few levels). */
const V1_MAX_DEPTH = 64;

/**
 * lockfileVersion 1: `dependencies` maps each name to {version, resolved, integrity, dev, optional,
 * requires, dependencies (nested copies)}. v1 does not say what the project itself declares, so a
 * top-level package is direct when no package in the tree requires it (one that is both declared
 * and required by another is reported transitive).
 */
function parseVersion1(tree: Record<string, unknown>, lines: LineLocator, findings: Findings): Findings {
  const required = new Set<string>();
  const entries: { name: string; entry: Record<string, unknown>; topLevel: boolean; line: number | null }[] = [];
  const walk = (level: Record<string, unknown>, depth: number, path: string) => {
    if (depth > V1_MAX_DEPTH) {
      findings.error(null, `${path}: dependencies nested more than ${V1_MAX_DEPTH} levels deep`);
      return;
    }
    for (const [name, entry] of Object.entries(level)) {
      const line = lines.findKey(`${JSON.stringify(name)}:`);
      const at = path ? `${path} > ${name}` : name;
      if (!isRecord(entry)) {
        findings.error(line, `${at}: expected an object`);
        continue;
      }
      entries.push({ name, entry, topLevel: depth === 0, line });
      for (const dependency of Object.keys(ownRecord(entry, "requires") ?? {})) required.add(dependency);
      const nested = own(entry, "dependencies");
      if (nested !== undefined) {
        if (isRecord(nested)) walk(nested, depth + 1, at);
        else findings.error(line, `${at}: dependencies is not an object`);
      }
    }
  };
  walk(tree, 0, "");
  for (const { name: installedAs, entry, topLevel, line } of entries) {
    const version = asString(own(entry, "version"));
    if (version === null) {
      findings.error(line, `${installedAs}: no version`);
      continue;
    }
    const isDirect = topLevel && !required.has(installedAs);
    const resolved = asString(own(entry, "resolved"));
    if (version.startsWith("file:")) {
      findings.add(localPackage(installedAs, version.slice("file:".length), null, line, entry, isDirect));
      continue;
    }
    // An alias ("x": {"version": "npm:real@1.0.0"}) installs another package: review the real one.
    const alias = /^npm:((?:@[^/@]+\/)?[^@]+)@(.+)$/.exec(version);
    const name = alias ? alias[1]! : installedAs;
    const exact = alias ? alias[2]! : version;
    if (alias) findings.warn(line, `${installedAs} is an alias of ${name}`);
    // A git dependency is named by its version in v1 (its `resolved` is the same URL).
    const fromVersion = origin(exact);
    const source = fromVersion.kind === "vcs" ? fromVersion : origin(resolved);
    findings.add(installedPackage(name, source.kind === "vcs" ? null : exact, source, entry, line, isDirect));
  }
  return findings;
}
