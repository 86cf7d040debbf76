/** [tool.poetry] dependency tables: string or table forms, groups, extras, git/url/path sources. */
import { asString, asStringArray, isRecord, makeDependency, own, ownRecord } from "./dependency";
import { evaluateMarker } from "./markers";
import { normalizePyPIName } from "./names";
import { translatePoetryConstraint } from "./poetry-constraints";
import type { PythonContext } from "./python-context";
import { classifySpec } from "./specifiers";
import type { Dependency } from "./types";

/** Poetry's `python = "^3.9"` restriction as an ordinary marker, so it evaluates like any other. */
function pythonMarker(constraint: string): string | null {
  const alternatives = constraint.split("||").map((part) => translatePoetryConstraint(part));
  const markers: string[] = [];
  for (const alternative of alternatives) {
    if ("error" in alternative) return null;
    if (alternative.spec === null) return null;
    const clauses = alternative.spec.split(",").map((clause) => {
      const [, op = "", version = ""] = /^([<>=!~]+)(.*)$/.exec(clause) ?? [];
      return `python_version ${op} "${version}"`;
    });
    markers.push(clauses.join(" and "));
  }
  return markers.length === 1 ? (markers[0] ?? null) : markers.map((m) => `(${m})`).join(" or ");
}

function joinMarkers(parts: (string | null)[]): string | null {
  const present = parts.filter((part): part is string => part !== null && part.trim() !== "");
  if (present.length <= 1) return present[0] ?? null;
  return present.map((part) => `(${part})`).join(" and ");
}

/** Where the code comes from when it is not a registry version. */
function source(entry: Record<string, unknown>): Pick<Dependency, "kind" | "url"> | null {
  const git = asString(own(entry, "git"));
  if (git !== null) {
    const ref = asString(own(entry, "rev")) ?? asString(own(entry, "tag")) ?? asString(own(entry, "branch"));
    return { kind: "vcs", url: `git+${git}${ref === null ? "" : `@${ref}`}` };
  }
  const url = asString(own(entry, "url"));
  if (url !== null) return { kind: "url", url };
  const path = asString(own(entry, "path"));
  if (path !== null) return { kind: own(entry, "develop") === true ? "editable" : "url", url: path };
  return null;
}

function addEntry(
  name: string,
  value: unknown,
  groups: string[],
  extrasOf: Map<string, string[]>,
  context: PythonContext,
): void {
  const line =
    context.lines.findKey(`${name} `) ?? context.lines.findKey(`${name}=`) ?? context.lines.findKey(`"${name}"`);
  const entry = typeof value === "string" ? { version: value } : isRecord(value) ? value : null;
  if (!entry) return context.findings.error(line, `[tool.poetry] ${name}: expected a version string or a table`);
  const constraint = asString(own(entry, "version"));
  let spec: string | null = null;
  if (constraint !== null) {
    const translated = translatePoetryConstraint(constraint);
    if ("error" in translated && !constraint.includes("|"))
      return context.findings.error(line, `[tool.poetry] ${name}: ${translated.error}`);
    if ("error" in translated)
      context.findings.warn(line, `[tool.poetry] ${name}: ${translated.error}; kept as written`);
    spec = "error" in translated ? constraint : translated.spec;
  }
  const python = asString(own(entry, "python"));
  const platform = asString(own(entry, "platform"));
  const marker = joinMarkers([
    asString(own(entry, "markers")),
    python === null ? null : pythonMarker(python),
    platform === null ? null : `sys_platform == "${platform}"`,
  ]);
  const optional = own(entry, "optional") === true;
  const fromSource = source(entry);
  // An OR kept as written is never a single pinned version.
  const pinned = spec?.includes("|") ? { kind: "range" as const, pinnedVersion: null } : classifySpec(spec);
  context.findings.add(
    makeDependency({
      ecosystem: "PyPI",
      name,
      normalizedName: normalizePyPIName(name),
      spec,
      pinnedVersion: fromSource ? null : pinned.pinnedVersion,
      kind: fromSource?.kind ?? pinned.kind,
      url: fromSource?.url ?? null,
      extras: asStringArray(own(entry, "extras")),
      marker,
      markerResult: marker === null ? null : evaluateMarker(marker, context.target),
      direct: true,
      line,
      // Optional dependencies install only through an extra, so the extra's name is their group.
      groups: optional ? [...groups, ...(extrasOf.get(normalizePyPIName(name)) ?? ["optional"])] : groups,
    }),
  );
}

function addTable(
  table: Record<string, unknown> | null,
  groups: string[],
  extrasOf: Map<string, string[]>,
  context: PythonContext,
): void {
  for (const [name, value] of Object.entries(table ?? {})) {
    if (name.toLowerCase() === "python") continue;
    if (normalizePyPIName(name) === "") {
      context.findings.error(null, `[tool.poetry] a dependency has a blank name`);
      continue;
    }
    // Several constraints for one package (per Python version or platform) are several entries.
    for (const item of Array.isArray(value) ? value : [value]) addEntry(name, item, groups, extrasOf, context);
  }
}

export function parsePoetryProject(poetry: Record<string, unknown>, context: PythonContext): void {
  const extrasOf = new Map<string, string[]>();
  for (const [extra, names] of Object.entries(ownRecord(poetry, "extras") ?? {})) {
    for (const name of asStringArray(names)) {
      const key = normalizePyPIName(name);
      extrasOf.set(key, [...(extrasOf.get(key) ?? []), extra]);
    }
  }
  // Poetry 2 may repeat [project] dependencies here only to add a source; do not count them twice.
  const declared = new Set(
    context.findings.dependencies.filter((d) => d.groups.length === 0).map((d) => d.normalizedName),
  );
  const main = Object.fromEntries(
    Object.entries(ownRecord(poetry, "dependencies") ?? {}).filter(([name]) => !declared.has(normalizePyPIName(name))),
  );
  addTable(main, [], extrasOf, context);
  addTable(ownRecord(poetry, "dev-dependencies"), ["dev"], extrasOf, context);
  for (const [group, body] of Object.entries(ownRecord(poetry, "group") ?? {})) {
    addTable(isRecord(body) ? ownRecord(body, "dependencies") : null, [group], extrasOf, context);
  }
  const sources = own(poetry, "source");
  for (const item of Array.isArray(sources) ? sources : []) {
    const url = isRecord(item) ? asString(own(item, "url")) : null;
    if (url)
      context.findings.warn(
        context.lines.find(url),
        `[[tool.poetry.source]] ${url}: packages may come from this source instead of PyPI`,
      );
  }
}
