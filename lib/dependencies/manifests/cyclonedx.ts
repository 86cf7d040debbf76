/**
 * CycloneDX SBOMs, JSON or XML: components (nested too) identified by purl, licences, hashes and the
 * dependency graph. The XML form is read into the JSON form's shape, then both take one path.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
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
  if (/^\s*</.test(content)) return parseCycloneDxXml(content);
  const findings = new Findings();
  const parsed = parseJsonDocument(content);
  if (!parsed.ok) {
    findings.error(parsed.line, parsed.message);
    return findings;
  }
  const bom = parsed.value;
  if (own(bom, "bomFormat") !== "CycloneDX") findings.warn(null, 'bomFormat is not "CycloneDX"');
  const lines = new LineLocator(content);
  return readBom(bom, findings, (text) => lines.find(JSON.stringify(text)));
}

// Elements that may repeat: always arrays, so one and many read the same.
const REPEATED = new Set(["component", "license", "expression", "hash", "dependency"]);

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: true,
  // Versions such as 1.10 stay text: read as numbers they would become 1.1.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => REPEATED.has(name),
});

type XmlNode = Record<string, unknown>;
const nodes = (value: unknown): XmlNode[] => (Array.isArray(value) ? value.filter(isRecord) : []);
/** An element's text: a plain string, or "#text" beside attributes. */
const text = (value: unknown): string | null =>
  typeof value === "string" ? value : isRecord(value) ? asString(own(value, "#text")) : null;

function componentFromXml(node: XmlNode): Record<string, unknown> {
  const licenses = ownRecord(node, "licenses");
  const hashes = ownRecord(node, "hashes");
  const nested = ownRecord(node, "components");
  return {
    name: text(own(node, "name")),
    version: text(own(node, "version")),
    purl: text(own(node, "purl")),
    "bom-ref": asString(own(node, "@bom-ref")),
    licenses: licenses
      ? [
          ...nodes(own(licenses, "license")).map((l) => ({
            license: { id: text(own(l, "id")), name: text(own(l, "name")) },
          })),
          ...(Array.isArray(own(licenses, "expression")) ? (own(licenses, "expression") as unknown[]) : []).map(
            (e) => ({ expression: text(e) }),
          ),
        ]
      : [],
    hashes: hashes ? nodes(own(hashes, "hash")).map((h) => ({ alg: asString(own(h, "@alg")), content: text(h) })) : [],
    components: nested ? nodes(own(nested, "component")).map(componentFromXml) : [],
  };
}

/** CycloneDX XML (1.2-1.6): the same fields as the JSON form, read into its shape. */
function parseCycloneDxXml(content: string): Findings {
  const findings = new Findings();
  // No DTD: an internal subset can define entities that expand to gigabytes; SBOMs never need one.
  if (/<!DOCTYPE/i.test(content)) {
    findings.error(null, "the XML declares a DOCTYPE, which a CycloneDX SBOM never needs; refused");
    return findings;
  }
  const valid = XMLValidator.validate(content);
  if (valid !== true) {
    findings.error(valid.err.line ?? null, `invalid XML: ${valid.err.msg}`);
    return findings;
  }
  const document = xml.parse(content) as XmlNode;
  const bomElement = own(document, "bom");
  // An empty <bom/> reads as "": a BOM with nothing in it.
  const root = bomElement === "" ? {} : isRecord(bomElement) ? bomElement : null;
  if (!root) {
    findings.error(null, "no <bom> element: not a CycloneDX SBOM");
    return findings;
  }
  if (!/<(\w+:)?bom[\s>][^>]*xmlns(:\w+)?="http:\/\/cyclonedx\.org\/schema\/bom\//.test(content))
    findings.warn(null, "the <bom> element is not in the CycloneDX namespace");
  // <component> always reads as a list: the metadata's subject is its first (and only) one.
  const subject = nodes(own(ownRecord(root, "metadata") ?? {}, "component"))[0];
  const graph = ownRecord(root, "dependencies");
  const bom = {
    bomFormat: "CycloneDX",
    metadata: subject ? { component: { "bom-ref": asString(own(subject, "@bom-ref")) } } : undefined,
    components: nodes(own(ownRecord(root, "components") ?? {}, "component")).map(componentFromXml),
    dependencies: graph
      ? nodes(own(graph, "dependency")).map((d) => ({
          ref: asString(own(d, "@ref")),
          dependsOn: nodes(own(d, "dependency")).map((inner) => asString(own(inner, "@ref"))),
        }))
      : undefined,
  };
  const lines = new LineLocator(content);
  return readBom(bom, findings, (value) => lines.find(`>${value}<`));
}

function readBom(bom: Record<string, unknown>, findings: Findings, lineOf: (text: string) => number | null): Findings {
  const direct = directRefs(bom);
  if (direct === null)
    findings.warn(
      null,
      "no dependency graph for the SBOM's subject: direct dependencies are unknown, all are marked indirect",
    );
  for (const component of allComponents(own(bom, "components"))) {
    const label = asString(own(component, "name")) ?? "unnamed component";
    const purlText = asString(own(component, "purl"));
    const line = lineOf(purlText ?? label);
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
