/** Pipfile.lock (JSON): sections "default" and "develop", versions written "==X", hashes kept. */
import { asString, asStringArray, Findings, isRecord, makeDependency, own, ownRecord } from "./dependency";
import { evaluateMarker } from "./markers";
import { normalizePep440, normalizePyPIName } from "./names";
import { LineLocator, parseJsonDocument } from "./structured";
import type { Dependency, TargetEnvironment } from "./types";

const SECTIONS = ["default", "develop"] as const;

function entrySource(entry: Record<string, unknown>): Pick<Dependency, "kind" | "url"> | null {
  const git = asString(own(entry, "git"));
  if (git !== null) {
    const ref = asString(own(entry, "ref"));
    return { kind: own(entry, "editable") === true ? "editable" : "vcs", url: `git+${git}${ref ? `@${ref}` : ""}` };
  }
  const location = asString(own(entry, "file")) ?? asString(own(entry, "path"));
  if (location !== null) return { kind: own(entry, "editable") === true ? "editable" : "url", url: location };
  return null;
}

function sourcesWarnings(meta: Record<string, unknown> | null, findings: Findings, lines: LineLocator): void {
  const sources = meta ? own(meta, "sources") : undefined;
  for (const item of Array.isArray(sources) ? sources : []) {
    const url = isRecord(item) ? asString(own(item, "url")) : null;
    if (url === null || /^https:\/\/pypi\.org\/simple\/?$/.test(url)) continue;
    findings.warn(lines.find(url), `package source ${url}: packages may come from this index instead of PyPI`);
  }
}

export function parsePipfileLock(content: string, target: TargetEnvironment): Findings {
  const findings = new Findings();
  const parsed = parseJsonDocument(content);
  if (!parsed.ok) {
    findings.error(parsed.line, parsed.message);
    return findings;
  }
  const lines = new LineLocator(content);
  sourcesWarnings(ownRecord(parsed.value, "_meta"), findings, lines);
  // A package locked identically in both sections is one dependency in two groups.
  const seen = new Map<string, Dependency>();
  for (const section of SECTIONS) {
    for (const [name, value] of Object.entries(ownRecord(parsed.value, section) ?? {})) {
      const line = lines.findKey(`"${name}":`);
      if (!isRecord(value) || name.trim() === "") {
        findings.error(line, `${section}.${name}: expected an object`);
        continue;
      }
      const written = asString(own(value, "version"));
      const version = written?.replace(/^===?/, "").trim() || null;
      const key = `${normalizePyPIName(name)}@${version ?? ""}`;
      const previous = seen.get(key);
      if (previous) {
        previous.groups.push(section);
        continue;
      }
      const marker = asString(own(value, "markers"));
      const source = entrySource(value);
      const dependency = makeDependency({
        ecosystem: "PyPI",
        name,
        normalizedName: normalizePyPIName(name),
        spec: version === null ? null : `==${version}`,
        pinnedVersion: version === null ? null : (normalizePep440(version) ?? version),
        kind: source?.kind ?? (version === null ? "range" : "pinned"),
        url: source?.url ?? null,
        extras: asStringArray(own(value, "extras")),
        marker,
        markerResult: marker === null ? null : evaluateMarker(marker, target),
        hashes: asStringArray(own(value, "hashes")),
        groups: [section],
        line,
      });
      seen.set(key, dependency);
      findings.add(dependency);
    }
  }
  if (!own(parsed.value, "default") && !own(parsed.value, "develop"))
    findings.warn(null, "no default or develop section: nothing is locked");
  return findings;
}
