// Typosquat suspicion, following guarddog's heuristics: a name that is not itself popular but sits one
// typo, one swapped pair, one shuffle of its hyphen parts or one "py"/"python" affix away from a
// popular name. It is a signal for a human, not a verdict: plenty of honest packages look like this.
import { distance } from "fastest-levenshtein";
import { POPULAR_NPM_NAMES } from "./popular-npm";
import { POPULAR_PYPI_NAMES } from "./popular-pypi";

export type TyposquatReason = "distance_1" | "adjacent_swap" | "hyphen_permutation" | "python_variant";

export interface TyposquatSuspicion {
  resembles: string;
  reason: TyposquatReason;
}

// Below this length every name is one edit from dozens of others (uv, av, h2, h3...), so flagging
// edits of such short popular names would be noise.
const MIN_EDIT_LENGTH = 4;

interface PopularNames {
  rank: Map<string, number>;
  byLength: Map<number, string[]>;
  /** Sorted hyphen parts (within the scope, for npm) -> the most popular name made of them. */
  byHyphenParts: Map<string, string>;
}

function hyphenKey(name: string): string | null {
  const slash = name.lastIndexOf("/");
  const scope = name.slice(0, slash + 1);
  const parts = name.slice(slash + 1).split("-");
  if (parts.length < 2 || parts.some((p) => p === "")) return null;
  return scope + [...parts].sort().join("-");
}

function load(joined: string): PopularNames {
  const names = joined.split("\n");
  const rank = new Map<string, number>();
  const byLength = new Map<number, string[]>();
  const byHyphenParts = new Map<string, string>();
  names.forEach((name, i) => {
    if (rank.has(name)) return;
    rank.set(name, i);
    if (name.length >= MIN_EDIT_LENGTH) {
      const bucket = byLength.get(name.length);
      if (bucket) bucket.push(name);
      else byLength.set(name.length, [name]);
    }
    const key = hyphenKey(name);
    if (key && !byHyphenParts.has(key)) byHyphenParts.set(key, name);
  });
  return { rank, byLength, byHyphenParts };
}

// Parsed on first use, so importing the review module costs nothing until a check runs.
const loaded = new Map<string, PopularNames>();
function popularNames(ecosystem: string): PopularNames | null {
  const source = ecosystem === "PyPI" ? POPULAR_PYPI_NAMES : ecosystem === "npm" ? POPULAR_NPM_NAMES : null;
  if (source === null) return null;
  let names = loaded.get(ecosystem);
  if (!names) {
    names = load(source);
    loaded.set(ecosystem, names);
  }
  return names;
}

/** Whether the name is among the ecosystem's popular packages (by its normalised name). */
export function isPopularName(ecosystem: string, normalizedName: string): boolean {
  return popularNames(ecosystem)?.rank.has(normalizedName) ?? false;
}

function mostPopular(popular: PopularNames, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  for (const c of candidates) {
    if (best === null || popular.rank.get(c)! < popular.rank.get(best)!) best = c;
  }
  return best;
}

function oneEditAway(popular: PopularNames, name: string): string | null {
  const hits: string[] = [];
  const first = name[0];
  const last = name[name.length - 1];
  for (const length of [name.length - 1, name.length, name.length + 1]) {
    for (const candidate of popular.byLength.get(length) ?? []) {
      // One edit leaves either the first or the last character in place, so this cheap test skips
      // most of the bucket before the real distance is computed.
      if (candidate[0] !== first && candidate[candidate.length - 1] !== last) continue;
      if (distance(name, candidate) === 1) hits.push(candidate);
    }
  }
  return mostPopular(popular, hits);
}

function swappedPair(popular: PopularNames, name: string): string | null {
  if (name.length < MIN_EDIT_LENGTH) return null;
  const hits: string[] = [];
  for (let i = 0; i + 1 < name.length; i += 1) {
    if (name[i] === name[i + 1]) continue;
    const swapped = name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
    if (popular.rank.has(swapped)) hits.push(swapped);
  }
  return mostPopular(popular, hits);
}

const PY_PREFIXES = ["python-", "py-", "python", "py"];
const PY_SUFFIXES = ["-python", "-py", "python", "py"];
const MIN_BASE_LENGTH = 3; // "py" + "ro" is pyro, not a variant of "ro"

function pythonVariant(popular: PopularNames, name: string): string | null {
  const bases = new Set([name]);
  for (const p of PY_PREFIXES)
    if (name.startsWith(p) && name.length - p.length >= MIN_BASE_LENGTH) bases.add(name.slice(p.length));
  for (const s of PY_SUFFIXES)
    if (name.endsWith(s) && name.length - s.length >= MIN_BASE_LENGTH) bases.add(name.slice(0, -s.length));
  const hits: string[] = [];
  for (const base of bases) {
    for (const variant of [base, ...PY_PREFIXES.map((p) => p + base), ...PY_SUFFIXES.map((s) => base + s)]) {
      if (variant !== name && popular.rank.has(variant)) hits.push(variant);
    }
  }
  return mostPopular(popular, hits);
}

/**
 * Whether a dependency name looks like a typo of a popular one. Checks run from the most to the
 * least telling, and each reports the most popular look-alike it finds.
 */
export function typosquatSuspect(ecosystem: string, normalizedName: string): TyposquatSuspicion | null {
  const popular = popularNames(ecosystem);
  const name = normalizedName.trim();
  if (!popular || name === "" || popular.rank.has(name)) return null;

  const edited = oneEditAway(popular, name);
  if (edited) return { resembles: edited, reason: "distance_1" };
  const swapped = swappedPair(popular, name);
  if (swapped) return { resembles: swapped, reason: "adjacent_swap" };
  const key = hyphenKey(name);
  const shuffled = key ? popular.byHyphenParts.get(key) : undefined;
  if (shuffled && shuffled !== name) return { resembles: shuffled, reason: "hyphen_permutation" };
  // The py/python affixes are a PyPI habit (python-dateutil, pyyaml); npm squats use other affixes.
  if (ecosystem === "PyPI") {
    const variant = pythonVariant(popular, name);
    if (variant) return { resembles: variant, reason: "python_variant" };
  }
  return null;
}
