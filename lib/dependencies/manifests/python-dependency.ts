/** Turns a parsed PEP 508 requirement into a Dependency; shared by every Python format. */
import { makeDependency } from "./dependency";
import { evaluateMarker } from "./markers";
import { normalizePyPIName, PYPI_NAME } from "./names";
import type { Pep508Requirement } from "./pep508";
import { classifySpec } from "./specifiers";
import type { Dependency, DependencyKind, TargetEnvironment } from "./types";

const VCS_SCHEME = /^(git|hg|svn|bzr)\+/i;
const HASH_FRAGMENT = /[#&](sha256|sha384|sha512|md5|sha1|sha224)=([0-9a-fA-F]+)/g;

/** Code from a version-control system is reviewed differently from a downloaded archive. */
export function urlKind(url: string): DependencyKind {
  return VCS_SCHEME.test(url) ? "vcs" : "url";
}

/** pip treats `#sha256=...` on a URL as that requirement's hash. */
export function fragmentHashes(url: string): string[] {
  return [...url.matchAll(HASH_FRAGMENT)].map((m) => `${(m[1] ?? "").toLowerCase()}:${m[2] ?? ""}`);
}

/**
 * Name of a package given only as a URL or path: `#egg=name`, else the wheel/sdist file name,
 * else the repository or folder name. null when nothing name-like is left.
 */
export function nameFromLocation(location: string): string | null {
  const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(location)?.[1];
  if (egg) return egg;
  const path = location.replace(/[#?].*$/, "").replace(/\/+$/, "");
  const file = path.slice(path.lastIndexOf("/") + 1).replace(/@[^@]*$/, "");
  const wheel = /^([^-]+)-\d[^-]*(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/i.exec(file)?.[1];
  if (wheel) return wheel;
  const sdist = /^(.+?)-\d[\w.+!-]*\.(tar\.gz|tar\.bz2|tgz|zip|tar)$/i.exec(file)?.[1];
  if (sdist) return sdist;
  const folder = file.replace(/\.git$/i, "");
  return PYPI_NAME.test(folder) ? folder : null;
}

export function pythonDependency(
  requirement: Pep508Requirement,
  target: TargetEnvironment,
  fields: Partial<Dependency> = {},
): Dependency {
  const pinned =
    requirement.url === null ? classifySpec(requirement.spec) : { kind: urlKind(requirement.url), pinnedVersion: null };
  return makeDependency({
    ecosystem: "PyPI",
    name: requirement.name,
    normalizedName: normalizePyPIName(requirement.name),
    spec: requirement.spec,
    pinnedVersion: pinned.pinnedVersion,
    kind: pinned.kind,
    extras: requirement.extras,
    marker: requirement.marker,
    markerResult: requirement.marker === null ? null : evaluateMarker(requirement.marker, target),
    url: requirement.url,
    hashes: requirement.url === null ? [] : fragmentHashes(requirement.url),
    ...fields,
  });
}
