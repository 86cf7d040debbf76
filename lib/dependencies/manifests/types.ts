/** Shapes shared by every manifest parser: one Dependency per declared or locked package. */

export type Ecosystem = "PyPI" | "npm" | "conda";

export type ManifestFormat =
  "requirements" | "pyproject" | "poetry-lock" | "uv-lock" | "pipfile-lock" | "conda" | "package-lock" | "cyclonedx";

/** How the package is obtained: a registry version (pinned or a range) or code from elsewhere. */
export type DependencyKind = "pinned" | "range" | "url" | "vcs" | "editable";

/** Three-valued on purpose: a marker we cannot decide must reach a human, not silently pass or fail. */
export type MarkerResult = "true" | "false" | "unknown";

export interface TargetEnvironment {
  /** "3.11" or "3.11.4" */
  pythonVersion: string;
  platform: "linux" | "darwin" | "win32";
  /** platform_machine as Python reports it, e.g. "x86_64", "arm64", "AMD64" */
  machine: string;
  /** extras the model asks for; markers `extra == "x"` are true only for these */
  extras?: string[];
}

export interface Dependency {
  ecosystem: Ecosystem;
  /** as written in the manifest */
  name: string;
  /** PEP 503 for PyPI; lower-case (scope kept) for npm; lower-case for conda */
  normalizedName: string;
  /** the declared constraint, e.g. "==2.8.*,>=2.8.1"; null means any version */
  spec: string | null;
  /** normalised version when exactly one version is allowed */
  pinnedVersion: string | null;
  kind: DependencyKind;
  extras: string[];
  marker: string | null;
  /** null when there is no marker */
  markerResult: MarkerResult | null;
  /** "algorithm:digest" as written (npm: the SRI integrity string) */
  hashes: string[];
  /** declared by the project itself rather than pulled in by another package */
  direct: boolean;
  /** 1-based line where the entry starts, when the format lets us know it */
  line: number | null;
  url: string | null;
  /** SPDX expression when the format carries a licence */
  licence: string | null;
  hasInstallScript: boolean;
  /** e.g. "dev", an optional-dependency extra, Pipfile "default"/"develop" */
  groups: string[];
  /** conda build string */
  build: string | null;
  channel: string | null;
}

export interface ManifestIssue {
  line: number | null;
  message: string;
  /** set when the issue is in a file other than the main one (requirements includes) */
  file?: string;
}

export interface ParseResult {
  format: ManifestFormat;
  dependencies: Dependency[];
  errors: ManifestIssue[];
  warnings: ManifestIssue[];
}

export interface ManifestFile {
  name: string;
  content: string;
}

export interface ParseInput {
  files: ManifestFile[];
  format?: ManifestFormat;
  target?: Partial<TargetEnvironment>;
}

/** What the review assumes unless told otherwise: the usual ML serving box. */
export const defaultTarget: Readonly<TargetEnvironment> = Object.freeze({
  pythonVersion: "3.11",
  platform: "linux",
  machine: "x86_64",
});
