/**
 * Conda match specs as written in environment.yml: `numpy=1.26` (fuzzy, 1.26.*), `numpy==1.26.4`
 * (exact), `numpy=1.16.3=py37h926163e_0` (version + build), `conda-forge::numpy`, `numpy >=1.2,<2`,
 * and the bracket form `numpy[version='>=1.2',build=py*]`.
 */
import { normalizePep440 } from "./names";

export interface CondaSpec {
  name: string;
  channel: string | null;
  /** PEP 440-style spec ("==1.26.*", ">=1.2,<2"), null for any version */
  spec: string | null;
  pinnedVersion: string | null;
  build: string | null;
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*/;

function unquote(text: string): string {
  return text.trim().replace(/^(["'])(.*)\1$/, "$2");
}

/** An exact version when the spec allows only one: "==X" without wildcards or alternatives. */
function exact(spec: string | null): string | null {
  const match = spec === null ? null : /^==([^,|*<>=!~]+)$/.exec(spec);
  if (!match?.[1]) return null;
  return normalizePep440(match[1]) ?? match[1];
}

/** A version written without operator: fuzzy for "=" (prefix match), exact otherwise. */
function versionSpec(version: string, fuzzy: boolean): string | null {
  const text = version.replace(/\s+/g, "");
  if (text === "" || text === "*") return null;
  if (/^[<>=!~]/.test(text) || /[,|]/.test(text)) return text;
  if (text.endsWith("*")) return `==${text.replace(/\.?\*$/, "")}.*`;
  return fuzzy ? `==${text}.*` : `==${text}`;
}

function bracketFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const match of text.matchAll(/([a-z_]+)\s*=\s*("[^"]*"|'[^']*'|[^,\]]*)/g))
    fields.set(match[1] ?? "", unquote(match[2] ?? ""));
  return fields;
}

export function parseCondaSpec(raw: string): CondaSpec | { error: string } {
  let text = raw.trim();
  let channel: string | null = null;
  const colons = text.indexOf("::");
  if (colons >= 0) {
    channel = text.slice(0, colons).trim() || null;
    text = text.slice(colons + 2).trim();
  }
  const name = NAME.exec(text)?.[0];
  if (!name) return { error: `"${raw.trim().slice(0, 60)}" is not a conda package spec` };
  let rest = text.slice(name.length);
  let spec: string | null = null;
  let build: string | null = null;

  const bracket = /\[(.*)\]\s*$/.exec(rest);
  if (bracket) {
    const fields = bracketFields(bracket[1] ?? "");
    rest = rest.slice(0, bracket.index);
    if (fields.has("version")) spec = versionSpec(fields.get("version") ?? "", false);
    build = fields.get("build") ?? null;
    channel = fields.get("channel") ?? channel;
  }
  rest = rest.trim();
  if (rest.startsWith("=") && !rest.startsWith("==")) {
    // name=version[=build]: with a build string the version is exact.
    const [version = "", buildPart] = rest.slice(1).split("=");
    build = buildPart?.trim() || build;
    spec = versionSpec(version, buildPart === undefined);
  } else if (/^[<>=!~]/.test(rest)) {
    const [version = "", buildPart] = rest.split(/\s+/);
    const equalsBuild = /^(==[^=]+)=(.+)$/.exec(version);
    spec = versionSpec(equalsBuild?.[1] ?? version, false);
    build = equalsBuild?.[2] ?? buildPart ?? build;
  } else if (rest !== "") {
    const [version = "", buildPart] = rest.split(/\s+/);
    spec = versionSpec(version, false);
    build = buildPart ?? build;
  }
  if (build === "*" || build === "") build = null;
  return { name, channel, spec, pinnedVersion: exact(spec), build };
}
