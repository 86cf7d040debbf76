/**
 * Poetry's constraint syntax rewritten as PEP 440 so every format compares the same way:
 * `^2.1` -> `>=2.1.0,<3.0.0`, `^0.2.3` -> `>=0.2.3,<0.3.0`, `~1.2` -> `>=1.2.0,<1.3.0`.
 */
import { explain } from "@renovatebot/pep440";
import { normalizePep440 } from "./names";
import { clauseProblem } from "./specifiers";

export type Translation = { spec: string | null } | { error: string };

function padded(release: number[]): number[] {
  return release.length >= 3 ? release : [...release, ...Array<number>(3 - release.length).fill(0)];
}

/** Upper bound: bump the segment at `index`, zero what follows, keep at least three segments. */
function bumped(release: number[], index: number): string {
  const parts = padded(release).slice(0, Math.max(3, index + 1));
  return parts.map((part, i) => (i < index ? part : i === index ? part + 1 : 0)).join(".");
}

/** Lower bound: a bare release is padded ("2.1" -> "2.1.0"); pre/post releases stay as written. */
function lowerBound(version: string, release: number[]): string {
  const normal = normalizePep440(version) ?? version;
  return normal === release.join(".") ? padded(release).join(".") : normal;
}

function range(operator: "^" | "~", version: string): string | null {
  const parts = explain(version);
  if (!parts || parts.epoch !== 0 || parts.local) return null;
  const release = parts.release;
  let index: number;
  if (operator === "~") {
    index = release.length === 1 ? 0 : 1;
  } else {
    // Caret bumps the first non-zero segment; all zeros bumps the last one written (^0.0 -> <0.1.0).
    const firstNonZero = release.findIndex((part) => part !== 0);
    index = firstNonZero >= 0 ? firstNonZero : release.length - 1;
  }
  return `>=${lowerBound(version, release)},<${bumped(release, index)}`;
}

function translateClause(clause: string): string | null | { error: string } {
  const match = /^(\^|~=|~|===|==|!=|<=|>=|<|>|=)?\s*(.+)$/.exec(clause);
  const operator = match?.[1] ?? "";
  const version = match?.[2] ?? "";
  if (version === "*" && operator === "") return null;
  let translated: string | null;
  if (operator === "^" || operator === "~") translated = range(operator, version);
  // A bare version (or "=") in Poetry means exactly that version; "1.2.*" is a wildcard match.
  else if (operator === "" || operator === "=") translated = `==${version}`;
  else translated = `${operator}${version}`;
  if (translated === null) return { error: `"${clause}" is not a valid Poetry constraint` };
  const problems = translated
    .split(",")
    .map(clauseProblem)
    .filter((p): p is string => p !== null);
  return problems[0] === undefined ? translated : { error: problems[0] };
}

export function translatePoetryConstraint(constraint: string): Translation {
  const text = constraint.trim();
  if (text.includes("||") || text.includes("|")) {
    return { error: `"${text}" is an OR of ranges, which a PEP 440 specifier cannot express` };
  }
  // Clauses are separated by commas or by spaces (">=1.2 <2.0"); operators may be spaced from versions.
  const clauses = text
    .replace(/(\^|~=|~|===|==|!=|<=|>=|<|>|=)\s+/g, "$1")
    .split(/[\s,]+/)
    .filter((clause) => clause !== "");
  const out: string[] = [];
  for (const clause of clauses) {
    const translated = translateClause(clause);
    if (translated !== null && typeof translated === "object") return translated;
    if (translated !== null) out.push(translated);
  }
  return { spec: out.length === 0 ? null : out.join(",") };
}
