/**
 * PEP 508 environment markers, evaluated three-valued: a marker we cannot decide for the target
 * (unknown variable, kernel version, ...) is "unknown" so a human looks at it.
 */
import { explain, satisfies } from "@renovatebot/pep440";
import { normalizePyPIName } from "./names";
import { clauseProblem } from "./specifiers";
import type { MarkerResult, TargetEnvironment } from "./types";

type Operand = { kind: "literal"; value: string } | { kind: "variable"; name: string };
type MarkerNode =
  | { kind: "and" | "or"; left: MarkerNode; right: MarkerNode }
  | { kind: "compare"; left: Operand; op: string; right: Operand };
type Token = { kind: "literal" | "word" | "op" | "(" | ")"; text: string };

const OPERATORS = ["===", "==", "!=", "<=", ">=", "~=", "<", ">"];
// Deep nesting is never legitimate; the limit keeps hostile input from exhausting the stack.
const MAX_DEPTH = 64;

function tokenize(source: string): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source.charAt(i);
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === "(" || ch === ")") {
      tokens.push({ kind: ch, text: ch });
      i += 1;
    } else if (ch === '"' || ch === "'") {
      // PEP 508 strings have no escapes: they end at the next matching quote.
      const end = source.indexOf(ch, i + 1);
      if (end < 0) return null;
      tokens.push({ kind: "literal", text: source.slice(i + 1, end) });
      i = end + 1;
    } else {
      const op = OPERATORS.find((candidate) => source.startsWith(candidate, i));
      const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(source.slice(i, i + 200))?.[0];
      if (op) {
        tokens.push({ kind: "op", text: op });
        i += op.length;
      } else if (word) {
        tokens.push({ kind: "word", text: word });
        i += word.length;
      } else {
        return null;
      }
    }
  }
  return tokens;
}

class MarkerParser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): MarkerNode | null {
    const node = this.orExpression(0);
    return node && this.position === this.tokens.length ? node : null;
  }

  private peekWord(word: string): boolean {
    const token = this.tokens[this.position];
    return token?.kind === "word" && token.text === word;
  }

  private orExpression(depth: number): MarkerNode | null {
    return this.chain("or", depth, () => this.chain("and", depth, () => this.atom(depth)));
  }

  private chain(keyword: "and" | "or", depth: number, next: () => MarkerNode | null): MarkerNode | null {
    let left = next();
    while (left && this.peekWord(keyword)) {
      this.position += 1;
      const right = next();
      if (!right) return null;
      left = { kind: keyword, left, right };
    }
    return left;
  }

  private atom(depth: number): MarkerNode | null {
    if (depth > MAX_DEPTH) return null;
    if (this.tokens[this.position]?.kind === "(") {
      this.position += 1;
      const inner = this.orExpression(depth + 1);
      if (!inner || this.tokens[this.position]?.kind !== ")") return null;
      this.position += 1;
      return inner;
    }
    const left = this.operand();
    const op = this.operator();
    const right = op ? this.operand() : null;
    return left && op && right ? { kind: "compare", left, op, right } : null;
  }

  private operand(): Operand | null {
    const token = this.tokens[this.position];
    if (token?.kind === "literal") {
      this.position += 1;
      return { kind: "literal", value: token.text };
    }
    if (token?.kind === "word" && !["and", "or", "in", "not"].includes(token.text)) {
      this.position += 1;
      return { kind: "variable", name: token.text };
    }
    return null;
  }

  private operator(): string | null {
    const token = this.tokens[this.position];
    if (token?.kind === "op") {
      this.position += 1;
      return token.text;
    }
    if (this.peekWord("in")) {
      this.position += 1;
      return "in";
    }
    if (this.peekWord("not") && this.tokens[this.position + 1]?.text === "in") {
      this.position += 2;
      return "not in";
    }
    return null;
  }
}

function parseMarker(marker: string): MarkerNode | null {
  const tokens = tokenize(marker);
  return tokens && tokens.length > 0 ? new MarkerParser(tokens).parse() : null;
}

/** Syntax check only: variables we do not know are allowed (they evaluate to "unknown"). */
export function isValidMarker(marker: string): boolean {
  return parseMarker(marker) !== null;
}

// Pre-PEP 508 spellings that packaging still accepts.
const LEGACY_NAMES: Readonly<Record<string, string>> = Object.freeze({
  "os.name": "os_name",
  "sys.platform": "sys_platform",
  "platform.version": "platform_version",
  "platform.machine": "platform_machine",
  "platform.python_implementation": "platform_python_implementation",
  python_implementation: "platform_python_implementation",
});

/**
 * The values a variable may take on the target. Several values when the target is vaguer than the
 * marker (python_full_version on a "3.11" target); null when the target cannot tell at all.
 */
function possibleValues(name: string, target: TargetEnvironment, other: string): string[] | null {
  const canonical = Object.hasOwn(LEGACY_NAMES, name) ? (LEGACY_NAMES[name] ?? name) : name;
  const release = explain(target.pythonVersion)?.release ?? [];
  const minor = release.slice(0, 2).join(".");
  switch (canonical) {
    case "python_version":
      return release.length >= 2 ? [minor] : null;
    case "python_full_version":
    case "implementation_version": {
      if (release.length >= 3) return [target.pythonVersion.trim()];
      if (release.length < 2) return null;
      const sameMinor = other.startsWith(`${minor}.`) ? [other] : [];
      return [`${minor}.0`, ...sameMinor, `${minor}.99999`];
    }
    case "sys_platform":
      return [target.platform];
    case "platform_system":
      return [{ linux: "Linux", darwin: "Darwin", win32: "Windows" }[target.platform]];
    case "os_name":
      return [target.platform === "win32" ? "nt" : "posix"];
    case "platform_machine":
      return [target.machine];
    case "implementation_name":
      return ["cpython"];
    case "platform_python_implementation":
      return ["CPython"];
    default:
      return null;
  }
}

function compareValues(left: string, op: string, right: string): MarkerResult {
  if (op === "in") return right.includes(left) ? "true" : "false";
  if (op === "not in") return right.includes(left) ? "false" : "true";
  // Versions compare as versions ("3.10" > "3.9"); only when both sides are versions.
  if (op !== "===" && explain(left) !== null && clauseProblem(`${op}${right}`) === null) {
    return satisfies(left, `${op}${right}`, { prereleases: true }) ? "true" : "false";
  }
  if (op === "==" || op === "===") return left === right ? "true" : "false";
  if (op === "!=") return left !== right ? "true" : "false";
  return "unknown";
}

function evaluateExtra(op: string, literal: string, target: TargetEnvironment): MarkerResult {
  // PEP 685: extras compare by normalised name.
  const requested = (target.extras ?? []).map(normalizePyPIName).includes(normalizePyPIName(literal));
  if (op === "==") return requested ? "true" : "false";
  if (op === "!=") return requested ? "false" : "true";
  return "unknown";
}

function evaluateComparison(node: Extract<MarkerNode, { kind: "compare" }>, target: TargetEnvironment): MarkerResult {
  const { left, op, right } = node;
  if (left.kind === "variable" && left.name === "extra" && right.kind === "literal")
    return evaluateExtra(op, right.value, target);
  if (right.kind === "variable" && right.name === "extra" && left.kind === "literal")
    return evaluateExtra(op, left.value, target);
  const leftValues =
    left.kind === "literal"
      ? [left.value]
      : possibleValues(left.name, target, right.kind === "literal" ? right.value : "");
  const rightValues =
    right.kind === "literal"
      ? [right.value]
      : possibleValues(right.name, target, left.kind === "literal" ? left.value : "");
  if (!leftValues || !rightValues) return "unknown";
  const outcomes = new Set(leftValues.flatMap((l) => rightValues.map((r) => compareValues(l, op, r))));
  return outcomes.size === 1 ? [...outcomes][0]! : "unknown";
}

function evaluateNode(node: MarkerNode, target: TargetEnvironment): MarkerResult {
  if (node.kind === "compare") return evaluateComparison(node, target);
  const left = evaluateNode(node.left, target);
  const right = evaluateNode(node.right, target);
  // Kleene logic: a decided side can settle the answer even when the other is unknown.
  if (node.kind === "and") {
    if (left === "false" || right === "false") return "false";
    return left === "unknown" || right === "unknown" ? "unknown" : "true";
  }
  if (left === "true" || right === "true") return "true";
  return left === "unknown" || right === "unknown" ? "unknown" : "false";
}

/** Evaluates a PEP 508 marker for the target; malformed markers are "unknown", never a throw. */
export function evaluateMarker(marker: string, target: TargetEnvironment): MarkerResult {
  const tree = parseMarker(marker);
  return tree ? evaluateNode(tree, target) : "unknown";
}
