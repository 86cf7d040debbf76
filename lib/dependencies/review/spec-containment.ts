// "Is every version this spec admits also admitted by that range?" An allowlist entry for ">=2.0,<3"
// may approve a dependency declared as "~=2.2", but not one declared as ">=2.0". The answer must err
// towards "no": whenever we cannot tell, the dependency is treated as not covered.
import * as pep440 from "@renovatebot/pep440";
import semver from "semver";

interface Bound {
  version: string;
  inclusive: boolean;
}
interface Interval {
  lower: Bound | null;
  upper: Bound | null;
}

const CLAUSE = /^\s*(===|~=|==|!=|<=|>=|<|>)\s*(\S+)\s*$/;

// The first version after every release starting with `release` (for ==2.8.* that is 2.9).
function bumpPrefix(epoch: number, release: number[]): string {
  const next = [...release];
  next[next.length - 1] = (next[next.length - 1] ?? 0) + 1;
  return `${epoch ? `${epoch}!` : ""}${next.join(".")}`;
}

function tighterLower(a: Bound | null, b: Bound): Bound {
  if (!a) return b;
  const c = pep440.compare(a.version, b.version);
  return c > 0 || (c === 0 && !a.inclusive) ? a : b;
}
function tighterUpper(a: Bound | null, b: Bound): Bound {
  if (!a) return b;
  const c = pep440.compare(a.version, b.version);
  return c < 0 || (c === 0 && !a.inclusive) ? a : b;
}

/**
 * A PEP 440 specifier as one interval, ignoring pre-release subtleties. `!=` clauses only remove
 * points, so the inner spec may drop them; in the outer range they make the answer unknowable here
 * (null), as does `===`, which is string equality rather than an ordering.
 */
function pep440Interval(spec: string, side: "inner" | "outer"): Interval | null {
  let interval: Interval = { lower: null, upper: null };
  if (spec.trim() === "") return interval;
  for (const clause of spec.split(",")) {
    const m = CLAUSE.exec(clause);
    if (!m) return null;
    const [, op, raw] = m;
    const wildcard = raw!.endsWith(".*");
    const version = wildcard ? raw!.slice(0, -2) : raw!;
    const parsed = pep440.explain(version);
    if (!parsed) return null;
    const add = (lower: Bound | null, upper: Bound | null) => {
      interval = {
        lower: lower ? tighterLower(interval.lower, lower) : interval.lower,
        upper: upper ? tighterUpper(interval.upper, upper) : interval.upper,
      };
    };
    if (op === "===") return null;
    if (op === "!=") {
      if (side === "outer") return null;
      continue;
    }
    if (op === ">=") add({ version, inclusive: true }, null);
    else if (op === ">") add({ version, inclusive: false }, null);
    else if (op === "<=") add(null, { version, inclusive: true });
    else if (op === "<") add(null, { version, inclusive: false });
    else if (op === "==" && wildcard)
      add({ version, inclusive: true }, { version: bumpPrefix(parsed.epoch, parsed.release), inclusive: false });
    else if (op === "==") add({ version, inclusive: true }, { version, inclusive: true });
    else if (op === "~=") {
      if (parsed.release.length < 2) return null;
      add(
        { version, inclusive: true },
        { version: bumpPrefix(parsed.epoch, parsed.release.slice(0, -1)), inclusive: false },
      );
    }
  }
  return interval;
}

function pep440Within(inner: string, outer: string): boolean {
  const a = pep440Interval(inner, "inner");
  const b = pep440Interval(outer, "outer");
  if (!a || !b) return false;
  if (b.lower) {
    if (!a.lower) return false;
    const c = pep440.compare(a.lower.version, b.lower.version);
    if (c < 0 || (c === 0 && a.lower.inclusive && !b.lower.inclusive)) return false;
  }
  if (b.upper) {
    if (!a.upper) return false;
    const c = pep440.compare(a.upper.version, b.upper.version);
    if (c > 0 || (c === 0 && a.upper.inclusive && !b.upper.inclusive)) return false;
  }
  return true;
}

/** Whether every version `inner` admits is also admitted by `outer`, in the ecosystem's syntax. */
export function specWithin(ecosystem: string, inner: string, outer: string): boolean {
  try {
    if (ecosystem === "PyPI") return pep440.validRange(inner) && pep440.validRange(outer) && pep440Within(inner, outer);
    if (ecosystem === "npm") return semver.subset(inner.trim() === "" ? "*" : inner, outer.trim() === "" ? "*" : outer);
  } catch {
    // an unreadable spec on either side: we cannot tell, so not contained
  }
  return false;
}
