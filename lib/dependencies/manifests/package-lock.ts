/** npm package-lock.json v2/v3: the flat `packages` map keyed by install path. */
import { clean } from "semver";
import { asString, Findings, isRecord, makeDependency, own, ownRecord } from "./dependency";
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
    const version = own(parsed.value, "lockfileVersion");
    findings.error(
      null,
      version === 1 || own(parsed.value, "dependencies") !== undefined
        ? "lockfileVersion 1 is not supported; regenerate with npm 7+"
        : "no packages map: not an npm 7+ package-lock.json",
    );
    return findings;
  }
  const root = ownRecord(packages, "") ?? {};
  const declared = new Set(DECLARATIONS.flatMap((field) => Object.keys(ownRecord(root, field) ?? {})));
  const lines = new LineLocator(content);
  for (const [path, entry] of Object.entries(packages)) {
    // The root is the project itself; workspace folders (no node_modules/) are first-party code.
    if (path === "" || !path.includes("node_modules/")) continue;
    const line = lines.findKey(`${JSON.stringify(path)}:`);
    if (!isRecord(entry)) {
      findings.error(line, `${path}: expected an object`);
      continue;
    }
    if (own(entry, "link") === true) continue;
    const installedAs = nameFromInstallPath(path);
    // An alias ("x": "npm:real@1") installs another package: review the real one.
    const name = asString(own(entry, "name")) ?? installedAs;
    if (name.trim() === "") {
      findings.error(line, `${path}: no package name`);
      continue;
    }
    if (name !== installedAs) findings.warn(line, `${installedAs} is an alias of ${name}`);
    const version = asString(own(entry, "version"));
    const source = origin(asString(own(entry, "resolved")));
    const integrity = asString(own(entry, "integrity"));
    findings.add(
      makeDependency({
        ecosystem: "npm",
        name,
        normalizedName: normalizeNpmName(name),
        spec: version,
        pinnedVersion: version === null ? null : (clean(version) ?? version),
        kind: version === null && source.kind === "pinned" ? "range" : source.kind,
        url: source.url,
        hashes: integrity === null ? [] : [integrity],
        direct: path === `node_modules/${installedAs}` && declared.has(installedAs),
        line,
        licence: licenceOf(entry),
        hasInstallScript: own(entry, "hasInstallScript") === true,
        groups: groupsOf(entry),
      }),
    );
  }
  return findings;
}
