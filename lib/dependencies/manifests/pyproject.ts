/** pyproject.toml: PEP 621 [project], PEP 735 [dependency-groups], build requirements, then Poetry. */
import { asString, asStringArray, Findings, isRecord, own, ownRecord } from "./dependency";
import { normalizePyPIName } from "./names";
import { parsePoetryProject } from "./poetry-project";
import { requirementFromString, type PythonContext } from "./python-context";
import { LineLocator, parseTomlDocument } from "./structured";
import type { Dependency, TargetEnvironment } from "./types";

function stringEntries(value: unknown, where: string, context: PythonContext): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    context.findings.error(null, `${where} must be an array of requirement strings`);
    return [];
  }
  const strings = asStringArray(value);
  if (strings.length !== value.length)
    context.findings.warn(null, `${where} has entries that are not strings; skipped`);
  return strings;
}

function addAll(texts: string[], where: string, context: PythonContext, fields: Partial<Dependency>): void {
  for (const text of texts) {
    const dependency = requirementFromString(text, where, context, { direct: true, ...fields });
    if (dependency) context.findings.add(dependency);
  }
}

function projectTable(project: Record<string, unknown>, context: PythonContext): void {
  const dynamic = asStringArray(own(project, "dynamic"));
  if (dynamic.includes("dependencies")) context.findings.warn(null, "dependencies are dynamic, not in the file");
  if (dynamic.includes("optional-dependencies"))
    context.findings.warn(null, "optional-dependencies are dynamic, not in the file");
  addAll(
    stringEntries(own(project, "dependencies"), "[project].dependencies", context),
    "[project].dependencies",
    context,
    {},
  );
  const optional = ownRecord(project, "optional-dependencies") ?? {};
  for (const [extra, entries] of Object.entries(optional)) {
    const where = `[project.optional-dependencies].${extra}`;
    addAll(stringEntries(entries, where, context), where, context, { groups: [extra] });
  }
}

/**
 * PEP 735 groups may include other groups; each requirement is reported once with every group
 * that reaches it. Include cycles are reported and cut rather than followed forever.
 */
function dependencyGroups(groups: Record<string, unknown>, context: PythonContext): void {
  const byName = new Map(Object.entries(groups).map(([name, value]) => [normalizePyPIName(name), { name, value }]));
  const reached = new Map<string, string[]>();

  const expand = (key: string, stack: string[], owner: string): void => {
    const group = byName.get(key);
    if (!group) return context.findings.error(null, `[dependency-groups]: include-group "${key}" does not exist`);
    if (stack.includes(key))
      return context.findings.warn(null, `[dependency-groups]: include cycle ${[...stack, key].join(" -> ")} skipped`);
    if (!Array.isArray(group.value))
      return context.findings.error(null, `[dependency-groups].${group.name} must be an array`);
    for (const entry of group.value) {
      const include = isRecord(entry) ? asString(own(entry, "include-group")) : null;
      if (typeof entry === "string") reached.set(entry, [...new Set([...(reached.get(entry) ?? []), owner])]);
      else if (include !== null) expand(normalizePyPIName(include), [...stack, key], owner);
      else
        context.findings.warn(
          null,
          `[dependency-groups].${group.name} has an entry that is neither a string nor {include-group}`,
        );
    }
  };

  for (const [key, group] of byName) expand(key, [], group.name);
  for (const [text, owners] of reached) addAll([text], "[dependency-groups]", context, { groups: owners });
}

/** The security review also covers the code that runs at build time. */
function buildAndToolTables(document: Record<string, unknown>, context: PythonContext): void {
  const build = ownRecord(document, "build-system");
  if (build)
    addAll(
      stringEntries(own(build, "requires"), "[build-system].requires", context),
      "[build-system].requires",
      context,
      { groups: ["build-system"] },
    );
  const uv = ownRecord(ownRecord(document, "tool") ?? {}, "uv");
  if (!uv) return;
  addAll(
    stringEntries(own(uv, "dev-dependencies"), "[tool.uv].dev-dependencies", context),
    "[tool.uv].dev-dependencies",
    context,
    { groups: ["dev"] },
  );
  const indexes = own(uv, "index");
  for (const index of Array.isArray(indexes) ? indexes : []) {
    const url = isRecord(index) ? asString(own(index, "url")) : null;
    if (url)
      context.findings.warn(
        context.lines.find(url),
        `[[tool.uv.index]] ${url}: packages may come from this index instead of PyPI`,
      );
  }
}

export function parsePyproject(content: string, target: TargetEnvironment): Findings {
  const findings = new Findings();
  const parsed = parseTomlDocument(content);
  if (!parsed.ok) {
    findings.error(parsed.line, parsed.message);
    return findings;
  }
  const context: PythonContext = { target, findings, lines: new LineLocator(content) };
  const document = parsed.value;
  const project = ownRecord(document, "project");
  if (project) projectTable(project, context);
  const groups = ownRecord(document, "dependency-groups");
  if (groups) dependencyGroups(groups, context);
  buildAndToolTables(document, context);
  const poetry = ownRecord(ownRecord(document, "tool") ?? {}, "poetry");
  if (poetry) parsePoetryProject(poetry, context);
  if (!project && !groups && !poetry)
    findings.warn(null, "no [project], [dependency-groups] or [tool.poetry] table: nothing to review");
  return findings;
}
