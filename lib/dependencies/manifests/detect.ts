/** Which manifest format a file is: by its name first, then by what its content looks like. */
import { parse as parseYaml } from "yaml";
import { isRecord, own, ownRecord } from "./dependency";
import { isPep508Error, parsePep508 } from "./pep508";
import { logicalLines } from "./requirements-lines";
import { parseJsonDocument, parseTomlDocument } from "./structured";
import type { ManifestFormat } from "./types";

const BY_NAME: [RegExp, ManifestFormat][] = [
  [/^(package-lock|npm-shrinkwrap)\.json$/, "package-lock"],
  [/^pipfile\.lock$/, "pipfile-lock"],
  [/^poetry\.lock$/, "poetry-lock"],
  [/^uv\.lock$/, "uv-lock"],
  [/^pyproject.*\.toml$/, "pyproject"],
  [/(^bom|\.cdx|^sbom|\.sbom)\.(json|xml)$/, "cyclonedx"],
  [/(^|[-_.])(environment|env|conda)([-_.].*)?\.ya?ml$/, "conda"],
  [/(requirements|constraints).*\.(txt|in)$/, "requirements"],
];

function fromJson(value: Record<string, unknown>): ManifestFormat | null {
  if (own(value, "bomFormat") === "CycloneDX") return "cyclonedx";
  if (own(value, "lockfileVersion") !== undefined) return "package-lock";
  if (isRecord(own(value, "_meta")) && (own(value, "default") !== undefined || own(value, "develop") !== undefined))
    return "pipfile-lock";
  return null;
}

function fromToml(value: Record<string, unknown>): ManifestFormat | null {
  const packages = own(value, "package");
  if (Array.isArray(packages)) {
    // uv writes a top-level lock version and gives every package a source table (registry,
    // virtual, editable...); Poetry keeps its lock version under [metadata].
    const uvSources = packages.some((entry) => {
      const source = isRecord(entry) ? ownRecord(entry, "source") : null;
      return source !== null && ["registry", "virtual", "editable"].some((key) => own(source, key) !== undefined);
    });
    return uvSources || typeof own(value, "version") === "bigint" || typeof own(value, "version") === "number"
      ? "uv-lock"
      : "poetry-lock";
  }
  if (
    own(value, "project") !== undefined ||
    own(value, "build-system") !== undefined ||
    own(value, "dependency-groups") !== undefined
  )
    return "pyproject";
  if (isRecord(own(value, "tool"))) return "pyproject";
  return null;
}

function looksLikeRequirements(content: string): boolean {
  const lines = logicalLines(content);
  if (lines.length === 0) return false;
  const readable = lines.filter(
    ({ text }) => text.startsWith("-") || !isPep508Error(parsePep508(text.split(/\s--?[a-z]/)[0] ?? "")),
  );
  return readable.length === lines.length;
}

export function detectFormat(fileName: string, content: string): ManifestFormat | null {
  const base = fileName.slice(fileName.lastIndexOf("/") + 1).toLowerCase();
  const named = BY_NAME.find(([pattern]) => pattern.test(base));
  if (named) return named[1];
  const trimmed = content.trimStart();
  // CycloneDX XML: the <bom> element in its namespace, within the first few hundred characters.
  if (trimmed.startsWith("<"))
    return /<bom[\s>][^>]*cyclonedx\.org\/schema\/bom/.test(trimmed.slice(0, 2000)) ? "cyclonedx" : null;
  if (trimmed.startsWith("{")) {
    const json = parseJsonDocument(content);
    return json.ok ? fromJson(json.value) : null;
  }
  const toml = parseTomlDocument(content);
  if (toml.ok) {
    const format = fromToml(toml.value);
    if (format) return format;
  }
  try {
    const yaml: unknown = parseYaml(content);
    if (isRecord(yaml) && Array.isArray(own(yaml, "dependencies"))) return "conda";
  } catch {
    // Not YAML either: fall through to the line-based check.
  }
  return looksLikeRequirements(content) ? "requirements" : null;
}
