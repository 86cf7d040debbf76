/** poetry.lock and uv.lock: every entry is an exact version; direct only where the lock says so. */
import { asString, asStringArray, Findings, isRecord, makeDependency, own, ownRecord } from "./dependency";
import { evaluateMarker } from "./markers";
import { normalizePep440, normalizePyPIName } from "./names";
import { LineLocator, parseTomlDocument } from "./structured";
import type { Dependency, TargetEnvironment } from "./types";

const PYPI_INDEXES = /^https:\/\/(pypi\.org|files\.pythonhosted\.org)\//;

function packages(document: Record<string, unknown>, findings: Findings): Record<string, unknown>[] {
  const list = own(document, "package");
  if (!Array.isArray(list)) {
    findings.warn(null, "no [[package]] entries: nothing is locked");
    return [];
  }
  return list.filter(isRecord);
}

function lockedDependency(
  entry: Record<string, unknown>,
  lines: LineLocator,
  target: TargetEnvironment,
  fields: Partial<Dependency>,
): Dependency | null {
  const name = asString(own(entry, "name"))?.trim();
  if (!name) return null;
  const version = asString(own(entry, "version"));
  const marker = fields.marker ?? null;
  return makeDependency({
    ecosystem: "PyPI",
    name,
    normalizedName: normalizePyPIName(name),
    spec: version === null ? null : `==${version}`,
    pinnedVersion: version === null ? null : (normalizePep440(version) ?? version),
    kind: version === null ? "range" : "pinned",
    line: lines.findKey(`name = "${name}"`),
    ...fields,
    markerResult: marker === null ? null : evaluateMarker(marker, target),
  });
}

/** Poetry 2.1 locks give markers per group ({ main = "...", dev = "..." }); any of them installs it. */
function poetryMarker(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (!isRecord(value)) return null;
  const markers = Object.values(value).filter((m): m is string => typeof m === "string");
  return markers.length <= 1 ? (markers[0] ?? null) : markers.map((m) => `(${m})`).join(" or ");
}

function poetrySource(entry: Record<string, unknown>, findings: Findings, line: number | null): Partial<Dependency> {
  const src = ownRecord(entry, "source");
  const type = src ? asString(own(src, "type")) : null;
  const url = src ? asString(own(src, "url")) : null;
  if (!src || type === null || url === null) return {};
  if (type === "git") {
    const ref = asString(own(src, "resolved_reference")) ?? asString(own(src, "reference"));
    return { kind: "vcs", url: `git+${url}${ref ? `@${ref}` : ""}` };
  }
  if (type === "legacy") {
    findings.warn(line, `${asString(own(entry, "name")) ?? "a package"} comes from ${url}, not PyPI`);
    return {};
  }
  return { kind: own(entry, "develop") === true ? "editable" : "url", url };
}

export function parsePoetryLock(content: string, target: TargetEnvironment): Findings {
  const findings = new Findings();
  const parsed = parseTomlDocument(content);
  if (!parsed.ok) {
    findings.error(parsed.line, parsed.message);
    return findings;
  }
  const lines = new LineLocator(content);
  for (const entry of packages(parsed.value, findings)) {
    const files = own(entry, "files");
    const hashes = (Array.isArray(files) ? files : [])
      .map((f) => (isRecord(f) ? asString(own(f, "hash")) : null))
      .filter((h): h is string => h !== null);
    // Lock format 2.1 lists groups; older locks have a single category.
    const category = asString(own(entry, "category"));
    const groups = asStringArray(own(entry, "groups"));
    const dependency = lockedDependency(entry, lines, target, {
      hashes,
      groups: groups.length > 0 ? groups : category ? [category] : [],
      marker: poetryMarker(own(entry, "markers")),
    });
    if (!dependency) {
      findings.error(null, "a [[package]] entry has no name");
      continue;
    }
    findings.add({ ...dependency, ...poetrySource(entry, findings, dependency.line) });
  }
  return findings;
}

/** Edges from the project root: which packages it asks for, under which group, with which marker. */
type Edge = { groups: string[]; marker: string | null };

function rootEdges(root: Record<string, unknown>): Map<string, Edge> {
  const edges = new Map<string, Edge>();
  const addList = (list: unknown, group: string | null): void => {
    for (const item of Array.isArray(list) ? list : []) {
      const name = isRecord(item) ? asString(own(item, "name")) : null;
      if (name === null) continue;
      const key = normalizePyPIName(name);
      const previous = edges.get(key);
      const marker = isRecord(item) ? asString(own(item, "marker")) : null;
      const groups = [...(previous?.groups ?? []), ...(group === null ? [] : [group])];
      edges.set(key, { groups: [...new Set(groups)], marker: previous ? (previous.marker ?? marker) : marker });
    }
  };
  addList(own(root, "dependencies"), null);
  for (const [extra, list] of Object.entries(ownRecord(root, "optional-dependencies") ?? {})) addList(list, extra);
  for (const [group, list] of Object.entries(ownRecord(root, "dev-dependencies") ?? {})) addList(list, group);
  return edges;
}

function uvSource(entry: Record<string, unknown>, findings: Findings, line: number | null): Partial<Dependency> {
  const src = ownRecord(entry, "source") ?? {};
  const git = asString(own(src, "git"));
  if (git !== null) return { kind: "vcs", url: `git+${git}` };
  const registry = asString(own(src, "registry"));
  if (registry !== null && !PYPI_INDEXES.test(registry))
    findings.warn(line, `${asString(own(entry, "name")) ?? "a package"} comes from ${registry}, not PyPI`);
  const url = asString(own(src, "url")) ?? asString(own(src, "path")) ?? asString(own(src, "directory"));
  if (url !== null) return { kind: "url", url };
  const editable = asString(own(src, "editable"));
  return editable !== null ? { kind: "editable", url: editable } : {};
}

/** The project itself: a virtual or editable source at ".", which is not a third-party package. */
function isProjectRoot(entry: Record<string, unknown>): boolean {
  const src = ownRecord(entry, "source") ?? {};
  return own(src, "virtual") !== undefined || own(src, "editable") === ".";
}

export function parseUvLock(content: string, target: TargetEnvironment): Findings {
  const findings = new Findings();
  const parsed = parseTomlDocument(content);
  if (!parsed.ok) {
    findings.error(parsed.line, parsed.message);
    return findings;
  }
  const lines = new LineLocator(content);
  const entries = packages(parsed.value, findings);
  const roots = entries.filter(isProjectRoot);
  const edges = new Map<string, Edge>();
  for (const root of roots) for (const [key, edge] of rootEdges(root)) edges.set(key, edge);
  for (const entry of entries) {
    if (isProjectRoot(entry)) continue;
    const sdist = ownRecord(entry, "sdist");
    const wheels = own(entry, "wheels");
    const hashes = [sdist, ...(Array.isArray(wheels) ? wheels : [])]
      .map((file) => (isRecord(file) ? asString(own(file, "hash")) : null))
      .filter((hash): hash is string => hash !== null);
    const edge = edges.get(normalizePyPIName(asString(own(entry, "name")) ?? ""));
    const dependency = lockedDependency(entry, lines, target, {
      hashes,
      direct: edge !== undefined,
      groups: edge?.groups ?? [],
      marker: edge?.marker ?? null,
    });
    if (!dependency) {
      findings.error(null, "a [[package]] entry has no name");
      continue;
    }
    findings.add({ ...dependency, ...uvSource(entry, findings, dependency.line) });
  }
  return findings;
}
