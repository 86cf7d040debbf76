import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The architecture as a test: app -> lib/<domain> -> db, with no cycle between files (eslint's
// import/no-cycle holds that too) nor between domains, so a rule has one home and a domain can be
// read without the ones above it. Every import counts, type-only ones included.

const root = path.resolve(import.meta.dirname, "../..");
const SOURCE_DIRS = ["app", "components", "lib", "db", "emails"];

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(rel);
    return /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [rel] : [];
  });
}

const files = SOURCE_DIRS.flatMap(sourceFiles);
const known = new Set(files);

function resolve(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = path.join(path.dirname(from), specifier);
  else return null; // a package
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
    if (known.has(path.normalize(candidate))) return path.normalize(candidate);
  }
  return null;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/g;
const imports = new Map<string, string[]>(
  files.map((file) => {
    const text = readFileSync(path.join(root, file), "utf8");
    const targets = [...text.matchAll(IMPORT)].map((m) => resolve(file, m[1]!)).filter((t) => t !== null);
    return [file, [...new Set(targets)]];
  }),
);

/** lib/<domain>/… is that domain; lib/<file>.ts is a kernel module of its own; emails are notifications'. */
function domainOf(file: string): string {
  const [top, second, third] = file.split(path.sep);
  if (top === "lib") return third ? `lib/${second}` : `lib/${second!.replace(/\.tsx?$/, "")}`;
  if (top === "emails") return "lib/notifications";
  return top!;
}

/** Strongly connected components with more than one member (Tarjan), each sorted. */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    order.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!order.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, order.get(next)!));
    }
    if (low.get(node) === order.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!order.has(node)) visit(node);
  return found;
}

describe("architecture", () => {
  it("finds the source it checks (the test would pass vacuously otherwise)", () => {
    expect(files.length).toBeGreaterThan(200);
    expect(imports.get(path.join("lib", "verb.ts"))).toContain(path.join("lib", "errors.ts"));
  });

  it("no import cycle between files", () => {
    expect(cycles(imports)).toEqual([]);
  });

  it("no import cycle between domains (lib/<domain>, the kernel files, db, emails)", () => {
    const graph = new Map<string, string[]>();
    for (const [file, targets] of imports) {
      const from = domainOf(file);
      const to = targets.map(domainOf).filter((d) => d !== from);
      graph.set(from, [...new Set([...(graph.get(from) ?? []), ...to])]);
    }
    expect(cycles(graph)).toEqual([]);
  });

  it("db/ imports nothing from lib/, app/ or components/; lib/ nothing from app/ or components/", () => {
    const crossings = [...imports].flatMap(([file, targets]) =>
      targets
        .filter((t) =>
          file.startsWith(`db${path.sep}`)
            ? !t.startsWith(`db${path.sep}`)
            : file.startsWith(`lib${path.sep}`) &&
              (t.startsWith(`app${path.sep}`) || t.startsWith(`components${path.sep}`)),
        )
        .map((t) => `${file} -> ${t}`),
    );
    expect(crossings).toEqual([]);
  });
});
