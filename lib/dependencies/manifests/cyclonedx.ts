/** CycloneDX JSON SBOMs: components (nested too) identified by purl, licences, dependency graph. */
import { clean } from "semver";
import { asString, Findings, isRecord, makeDependency, own, ownRecord } from "./dependency";
import { normalizeNpmName, normalizePep440, normalizePyPIName } from "./names";
import { parsePurl } from "./purl";
import { LineLocator, parseJsonDocument } from "./structured";
import type { Ecosystem } from "./types";

const ECOSYSTEMS = new Map<string, Ecosystem>([
  ["pypi", "PyPI"],
  ["npm", "npm"],
  ["conda", "conda"],
]);

/** Every licence entry becomes one SPDX expression; entries are all required, so they join with AND. */
function licenceExpression(value: unknown): string | null {
  const parts: string[] = [];
  for (const item of Array.isArray(value) ? value : []) {
    if (!isRecord(item)) continue;
    const expression = asString(own(item, "expression"));
    const license = ownRecord(item, "license");
    const id = license ? (asString(own(license, "id")) ?? asString(own(license, "name"))) : null;
    const part = expression ?? id;
    if (part !== null && part.trim() !== "") parts.push(part.trim());
  }
  if (parts.length <= 1) return parts[0] ?? null;
  return parts.map((part) => (/\s(OR|AND|WITH)\s/i.test(part) ? `(${part})` : part)).join(" AND ");
}

function hashesOf(value: unknown): string[] {
  return (Array.isArray(value) ? value : [])
    .filter(isRecord)
    .map((hash) => [asString(own(hash, "alg")), asString(own(hash, "content"))])
    .filter((pair): pair is [string, string] => pair[0] !== null && pair[1] !== null)
    .map(([alg, content]) => `${alg.toLowerCase().replace("-", "")}:${content}`);
}

/** Depth-first over components and their nested components, without recursion on hostile depth. */
function allComponents(top: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const pending: unknown[] = Array.isArray(top) ? [...top].reverse() : [];
  while (pending.length > 0) {
    const next = pending.pop();
    if (!isRecord(next)) continue;
    out.push(next);
    const nested = own(next, "components");
    // A loop, not push(...nested): spreading a huge array into arguments overflows the stack.
    if (Array.isArray(nested)) for (let i = nested.length - 1; i >= 0; i -= 1) pending.push(nested[i]);
  }
  return out;
}

/** The refs the SBOM's subject depends on directly, or null when the SBOM has no graph for it. */
function directRefs(bom: Record<string, unknown>): Set<string> | null {
  const metadata = ownRecord(bom, "metadata");
  const subject = metadata ? ownRecord(metadata, "component") : null;
  const rootRef = subject ? asString(own(subject, "bom-ref")) : null;
  const graph = own(bom, "dependencies");
  if (rootRef === null || !Array.isArray(graph)) return null;
  const node = graph.filter(isRecord).find((entry) => own(entry, "ref") === rootRef);
  const dependsOn = node ? own(node, "dependsOn") : undefined;
  return Array.isArray(dependsOn) ? new Set(dependsOn.filter((ref): ref is string => typeof ref === "string")) : null;
}

export function parseCycloneDx(content: string): Findings {
  const findings = new Findings();
  const parsed = parseJsonDocument(content);
  if (!parsed.ok) {
    findings.error(
      parsed.line,
      /^\s*</.test(content) ? "CycloneDX XML is not supported; upload the JSON form" : parsed.message,
    );
    return findings;
  }
  const bom = parsed.value;
  if (own(bom, "bomFormat") !== "CycloneDX") findings.warn(null, 'bomFormat is not "CycloneDX"');
  const direct = directRefs(bom);
  if (direct === null)
    findings.warn(
      null,
      "no dependency graph for the SBOM's subject: direct dependencies are unknown, all are marked indirect",
    );
  const lines = new LineLocator(content);
  for (const component of allComponents(own(bom, "components"))) {
    const label = asString(own(component, "name")) ?? "unnamed component";
    const purlText = asString(own(component, "purl"));
    const line = purlText === null ? lines.find(JSON.stringify(label)) : lines.find(JSON.stringify(purlText));
    const purl = purlText === null ? null : parsePurl(purlText);
    if (purl === null) {
      findings.warn(
        line,
        purlText === null
          ? `component ${label} has no purl; skipped`
          : `component ${label} has an unreadable purl ${purlText}; skipped`,
      );
      continue;
    }
    const ecosystem = ECOSYSTEMS.get(purl.type);
    if (!ecosystem) {
      findings.warn(line, `component ${label} is a ${purl.type} package, which this review does not cover; skipped`);
      continue;
    }
    const name = (ecosystem === "npm" && purl.namespace ? `${purl.namespace}/${purl.name}` : purl.name).trim();
    if (name === "") {
      findings.warn(line, `component ${label} has a purl without a package name; skipped`);
      continue;
    }
    const version = purl.version ?? asString(own(component, "version"));
    const pinnedVersion =
      version === null
        ? null
        : ecosystem === "npm"
          ? (clean(version) ?? version)
          : (normalizePep440(version) ?? version);
    const ref = asString(own(component, "bom-ref"));
    findings.add(
      makeDependency({
        ecosystem,
        name,
        normalizedName: ecosystem === "PyPI" ? normalizePyPIName(name) : normalizeNpmName(name),
        spec: version === null ? null : ecosystem === "npm" ? version : `==${version}`,
        pinnedVersion,
        kind: version === null ? "range" : "pinned",
        direct: direct !== null && ref !== null && direct.has(ref),
        licence: licenceExpression(own(component, "licenses")),
        hashes: hashesOf(own(component, "hashes")),
        line,
        channel: purl.qualifiers.get("channel") ?? null,
        build: purl.qualifiers.get("build") ?? null,
      }),
    );
  }
  return findings;
}
