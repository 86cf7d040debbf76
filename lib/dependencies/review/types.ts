// The dependency shape this review module reads. The manifest parsers own the full type; we declare
// only the fields we use, structurally, so the two modules can evolve without importing each other.

export type DependencyEcosystem = "PyPI" | "npm" | "conda";

export type DependencyKind = "pinned" | "range" | "url" | "vcs" | "editable";

export interface ReviewedDependency {
  ecosystem: DependencyEcosystem;
  /** PEP 503 for PyPI (lower case, runs of `-_.` become `-`), lower case for npm. */
  normalizedName: string;
  name: string;
  /** The version specifier as written (PEP 440 for PyPI, a semver range for npm), if any. */
  spec: string | null;
  pinnedVersion: string | null;
  kind: DependencyKind;
  licence: string | null;
  hasInstallScript: boolean;
  url: string | null;
}

/** PEP 503 name normalisation: `re.sub(r"[-_.]+", "-", name).lower()`. */
export function pep503Name(name: string): string {
  return name.replace(/[-_.]+/g, "-").toLowerCase();
}

/** The name as this module compares it within an ecosystem. */
export function normalisePackageName(ecosystem: string, name: string): string {
  if (ecosystem === "PyPI") return pep503Name(name);
  // npm names are case-insensitive in practice (new names must be lower case; legacy ones like
  // JSONStream resolve either way), so compare them lower-cased like the manifest parser does.
  if (ecosystem === "npm") return name.toLowerCase();
  return name;
}

/** A stable key for one dependency line, used to hand findings back per dependency. */
export function dependencyKey(dep: ReviewedDependency): string {
  const where = dep.pinnedVersion ?? dep.spec ?? dep.url ?? "";
  return `${dep.ecosystem}:${dep.normalizedName}@${dep.kind}:${where}`;
}
