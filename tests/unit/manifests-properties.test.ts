/** Robustness: no input, random or a mangled real fixture, may make a parser throw or emit nameless entries. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FIXTURE_NAMES, fixture } from "../fixtures/manifests/load";
import {
  defaultTarget,
  evaluateMarker,
  INTERNAL_FAILURE,
  isPep508Error,
  normalizePyPIName,
  parseManifest,
  parsePep508,
  type ManifestFormat,
  type MarkerResult,
  type ParseResult,
  type TargetEnvironment,
} from "../../lib/dependencies/manifests";

const RUNS = 300;
const FORMATS: ManifestFormat[] = [
  "requirements",
  "pyproject",
  "poetry-lock",
  "uv-lock",
  "pipfile-lock",
  "conda",
  "package-lock",
  "cyclonedx",
];

// Fragments of every syntax involved, so random text often gets past the first parse step.
const TOKENS = [
  "\n",
  " ",
  "\\",
  "#",
  "-r ",
  "-c ",
  "-e ",
  "--hash=sha256:ab",
  "--extra-index-url ",
  "${X}",
  "numpy",
  "==",
  ">=",
  "~=",
  "^",
  "~",
  "*",
  "1.0",
  "2.1.0+cu118",
  ";",
  " python_version < '3.9'",
  " extra == 'x'",
  "(",
  ")",
  "[",
  "]",
  "[[package]]",
  "name = ",
  "version = ",
  '"',
  "'",
  "{",
  "}",
  ":",
  ",",
  'source = { virtual = "." }',
  "[project]",
  "dependencies = [",
  "[tool.poetry.dependencies]",
  '{include-group = "a"}',
  "- ",
  "pip:",
  "::",
  "=",
  '"packages"',
  '"node_modules/',
  "@scope/",
  '"lockfileVersion": 3',
  '"bomFormat": "CycloneDX"',
  '"components": [',
  '"purl": "pkg:npm/%40a/b@1"',
  '"default"',
  '"_meta"',
  "@ ",
  "https://h/p.whl#sha256=ab",
  "git+https://g/r.git#egg=r",
  "null",
  "true",
  "0",
  "-",
  "__proto__",
  "constructor",
];
const tokenSoup = fc
  .array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 6 })), { maxLength: 80 })
  .map((parts) => parts.join(""));
const randomText = fc.oneof(fc.string({ maxLength: 300, unit: "binary" }), tokenSoup);
const targetArb: fc.Arbitrary<Partial<TargetEnvironment>> = fc.record(
  {
    pythonVersion: fc.oneof(fc.constantFrom("3.8", "3.11", "3.12.1"), fc.string({ maxLength: 5 })),
    platform: fc.constantFrom("linux", "darwin", "win32"),
    machine: fc.string({ maxLength: 8 }),
    extras: fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

type Mutation = {
  kind: "delete" | "insert" | "duplicate" | "truncate" | "swap-lines";
  at: number;
  length: number;
  text: string;
};
const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom("delete", "insert", "duplicate", "truncate", "swap-lines"),
  at: fc.nat(),
  length: fc.nat({ max: 40 }),
  text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 10, unit: "binary" })),
});

function mutate(content: string, mutations: Mutation[]): string {
  let text = content;
  for (const { kind, at, length, text: inserted } of mutations) {
    const position = text.length === 0 ? 0 : at % text.length;
    if (kind === "delete") text = text.slice(0, position) + text.slice(position + length);
    else if (kind === "insert") text = text.slice(0, position) + inserted + text.slice(position);
    else if (kind === "duplicate")
      text = text.slice(0, position + length) + text.slice(position, position + length) + text.slice(position + length);
    else if (kind === "truncate") text = text.slice(0, position);
    else {
      const lines = text.split("\n");
      const a = at % lines.length;
      const b = (at + length) % lines.length;
      [lines[a], lines[b]] = [lines[b] ?? "", lines[a] ?? ""];
      text = lines.join("\n");
    }
  }
  return text;
}

/** Every result, whatever the input, must be well formed. */
function expectWellFormed(result: ParseResult, format: ManifestFormat | undefined): void {
  if (format) expect(result.format).toBe(format);
  expect(Array.isArray(result.errors) && Array.isArray(result.warnings)).toBe(true);
  for (const issue of [...result.errors, ...result.warnings]) {
    expect(issue.message).not.toContain(INTERNAL_FAILURE);
    expect(issue.line === null || (Number.isInteger(issue.line) && issue.line >= 1)).toBe(true);
  }
  for (const dependency of result.dependencies) {
    expect(dependency.normalizedName.trim()).not.toBe("");
    expect(dependency.marker === null).toBe(dependency.markerResult === null);
    if (dependency.kind === "pinned") expect(dependency.pinnedVersion).not.toBeNull();
    expect(dependency.line === null || dependency.line >= 1).toBe(true);
  }
}

describe("parseManifest never throws", () => {
  it.each(FORMATS)(
    "random text as %s",
    (format) => {
      fc.assert(
        fc.property(randomText, randomText, targetArb, (content, included, target) => {
          const files = [
            { name: "main", content },
            { name: "x", content: included },
          ];
          expectWellFormed(parseManifest({ files, format, target }), format);
        }),
        { numRuns: RUNS },
      );
    },
    120_000,
  );

  it.each(FIXTURE_NAMES)(
    "mutations of %s, as detected and as every format",
    (name) => {
      const original = fixture(name);
      const companion = fixture("requirements-base.txt");
      fc.assert(
        fc.property(
          fc.array(mutationArb, { minLength: 1, maxLength: 6 }),
          fc.constantFrom<ManifestFormat | undefined>(undefined, ...FORMATS),
          (mutations, format) => {
            const files = [{ name, content: mutate(original.content, mutations) }, companion];
            expectWellFormed(parseManifest({ files, format }), format);
          },
        ),
        { numRuns: RUNS },
      );
    },
    120_000,
  );

  it("random text with random names is detected or reported, never thrown", () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIXTURE_NAMES, "upload", "README.md"), randomText, (name, content) => {
        const result = parseManifest({ files: [{ name, content }] });
        expectWellFormed(result, undefined);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});

describe("name, requirement and marker properties", () => {
  it("PEP 503 normalisation is idempotent and leaves only lower-case runs joined by single hyphens", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (name) => {
        const normal = normalizePyPIName(name);
        expect(normalizePyPIName(normal)).toBe(normal);
        expect(normal).not.toMatch(/[_.A-Z]|--/);
      }),
      { numRuns: RUNS },
    );
  });

  const nameArb = fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,10}[A-Za-z0-9])?$/);
  const clauseArb = fc
    .tuple(
      fc.constantFrom(">=", "<=", "<", ">", "!=", "==", "~="),
      fc.array(fc.nat({ max: 30 }), { minLength: 2, maxLength: 4 }),
    )
    .map(([op, parts]) => `${op}${parts.join(".")}`);

  it("a generated requirement parses back to its parts, however it is spaced", () => {
    fc.assert(
      fc.property(
        nameArb,
        fc.uniqueArray(nameArb, { maxLength: 3 }),
        fc.uniqueArray(clauseArb, { maxLength: 3 }),
        fc.constantFrom("", " ", "  "),
        (name, extras, clauses, gap) => {
          const text = `${name}${gap}${extras.length ? `[${extras.join(`,${gap}`)}]` : ""}${gap}${clauses.join(`${gap},${gap}`)}${gap}; os_name == "posix"`;
          const parsed = parsePep508(text);
          if (isPep508Error(parsed)) throw new Error(`${text}: ${parsed.error}`);
          expect(parsed.name).toBe(name);
          expect(parsed.extras).toEqual(extras);
          expect(parsed.spec).toBe(clauses.length ? [...clauses].sort().join(",") : null);
          expect(parsed.marker).toBe('os_name == "posix"');
        },
      ),
      { numRuns: RUNS },
    );
  });

  // Atoms whose result on the default target is known, combined with and/or.
  const ATOMS: [string, MarkerResult][] = [
    ['python_version >= "3.8"', "true"],
    ['sys_platform == "win32"', "false"],
    ['platform_release == "6.1"', "unknown"],
    ['os_name == "posix"', "true"],
    ['extra == "gpu"', "false"],
  ];
  type Tree = { marker: string; result: MarkerResult };
  const and = (a: MarkerResult, b: MarkerResult): MarkerResult =>
    a === "false" || b === "false" ? "false" : a === "unknown" || b === "unknown" ? "unknown" : "true";
  const or = (a: MarkerResult, b: MarkerResult): MarkerResult =>
    a === "true" || b === "true" ? "true" : a === "unknown" || b === "unknown" ? "unknown" : "false";
  const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom(...ATOMS).map(([marker, result]) => ({ marker, result })),
      fc.tuple(tie("tree"), tie("tree"), fc.boolean()).map(([l, r, isAnd]) => ({
        marker: `(${l.marker}) ${isAnd ? "and" : "or"} (${r.marker})`,
        result: isAnd ? and(l.result, r.result) : or(l.result, r.result),
      })),
    ),
  })).tree;

  it("marker evaluation follows three-valued logic over and/or trees", () => {
    fc.assert(
      fc.property(treeArb, ({ marker, result }) => {
        expect(evaluateMarker(marker, defaultTarget)).toBe(result);
      }),
      { numRuns: RUNS },
    );
  });
});
