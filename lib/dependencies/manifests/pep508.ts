/** PEP 508 dependency specifiers: `name [extras] (spec | @ url) ; marker`. */
import { isValidMarker } from "./markers";
import { PYPI_NAME } from "./names";
import { canonicalSpec, clauseProblem } from "./specifiers";

export interface Pep508Requirement {
  name: string;
  extras: string[];
  /** canonical specifier set, or null for "any version" and for url requirements */
  spec: string | null;
  marker: string | null;
  url: string | null;
}

export interface Pep508Error {
  error: string;
}

const LEADING_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

export function isPep508Error<T extends object>(value: T | Pep508Error): value is Pep508Error {
  return "error" in value;
}

function parseExtras(rest: string): { extras: string[]; rest: string } | Pep508Error {
  if (!rest.startsWith("[")) return { extras: [], rest };
  const close = rest.indexOf("]");
  if (close < 0) return { error: "extras are missing their closing ]" };
  const extras = rest
    .slice(1, close)
    .split(",")
    .map((extra) => extra.trim())
    .filter((extra) => extra !== "");
  const bad = extras.find((extra) => !PYPI_NAME.test(extra));
  if (bad !== undefined) return { error: `"${bad}" is not a valid extra name` };
  return { extras, rest: rest.slice(close + 1).trimStart() };
}

function parseMarkerPart(text: string | null): { marker: string | null } | Pep508Error {
  if (text === null) return { marker: null };
  const marker = text.trim();
  if (marker === "") return { error: "empty marker after ;" };
  if (!isValidMarker(marker)) return { error: `invalid environment marker "${marker}"` };
  return { marker };
}

function parseSpec(text: string): { spec: string | null } | Pep508Error {
  let body = text.trim();
  // PEP 508 also allows the specifier in parentheses: "name (>=1.0)".
  if (body.startsWith("(")) {
    if (!body.endsWith(")")) return { error: "version specifier is missing its closing )" };
    body = body.slice(1, -1).trim();
  }
  if (body === "") return { spec: null };
  const clauses = body.split(",");
  for (const clause of clauses) {
    const problem = clauseProblem(clause);
    if (problem) return { error: problem };
  }
  return { spec: canonicalSpec(clauses) };
}

/** Parses one requirement string; problems come back as `{ error }`, never as a throw. */
export function parsePep508(line: string): Pep508Requirement | Pep508Error {
  const text = line.trim();
  const name = LEADING_NAME.exec(text)?.[0];
  if (!name) return { error: `expected a package name at "${text.slice(0, 40)}"` };
  const extras = parseExtras(text.slice(name.length).trimStart());
  if (isPep508Error(extras)) return extras;
  const rest = extras.rest;

  if (rest.startsWith("@")) {
    const afterAt = rest.slice(1).trim();
    // A URL may itself contain ";", so the marker must be set off by whitespace before it.
    const split = /\s+;/.exec(afterAt);
    const url = split ? afterAt.slice(0, split.index) : afterAt;
    if (!URI.test(url)) return { error: `"${url.slice(0, 80)}" is not a URL` };
    const marker = parseMarkerPart(split ? afterAt.slice(split.index + split[0].length) : null);
    if (isPep508Error(marker)) return marker;
    return { name, extras: extras.extras, spec: null, marker: marker.marker, url };
  }

  const semicolon = rest.indexOf(";");
  const spec = parseSpec(semicolon < 0 ? rest : rest.slice(0, semicolon));
  if (isPep508Error(spec)) return spec;
  const marker = parseMarkerPart(semicolon < 0 ? null : rest.slice(semicolon + 1));
  if (isPep508Error(marker)) return marker;
  return { name, extras: extras.extras, spec: spec.spec, marker: marker.marker, url: null };
}
