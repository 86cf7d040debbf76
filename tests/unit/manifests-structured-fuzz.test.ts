/**
 * Grammar-aware fuzzing: documents that parse as TOML/JSON/YAML but carry hostile values, so the
 * parsers' field handling (not just the syntax layer) meets odd names, types and shapes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INTERNAL_FAILURE, parseManifest, type ManifestFormat } from "../../lib/dependencies/manifests";

const RUNS = 300;
const WORDS = [
  "",
  " ",
  "numpy",
  "Torch_Lib",
  "@s/b",
  "node_modules/",
  "constructor",
  "__proto__",
  "==1.0",
  "^1.2",
  "~1",
  ">=1,<2",
  "*",
  "2.1.0+cu118",
  "1.0 || 2.0",
  "git+https://g/r.git",
  ".",
  "pkg:npm/%20@1",
  "pkg:pypi/%zz@1",
  "pkg:conda/x@1?channel=c",
  "sys_platform == 'linux'",
  "python_version <",
  "extra == 'gpu'",
];
const text = fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 12 }));
const leaf: fc.Arbitrary<unknown> = fc.oneof(
  text,
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(text, { maxLength: 3 }),
  fc.dictionary(text, text, { maxKeys: 3 }),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const toml = (value: string) => JSON.stringify(value);

const lockPackage = fc.record(
  {
    name: fc.oneof(text, leaf),
    version: fc.oneof(text, leaf),
    groups: fc.oneof(fc.array(text, { maxLength: 3 }), leaf),
    markers: fc.oneof(text, fc.dictionary(text, text, { maxKeys: 2 })),
    source: fc.oneof(
      fc.constantFrom(
        { virtual: "." },
        { editable: "." },
        { git: "https://g/r?rev=1#abc" },
        { registry: "https://x.example/simple" },
      ),
      leaf,
    ),
    dependencies: fc.array(fc.record({ name: text, marker: maybe(text) }, { requiredKeys: [] }), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

/** A TOML rendering of a lock built from JSON-compatible values (inline tables and arrays). */
function tomlValue(value: unknown): string {
  if (typeof value === "string") return toml(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value))
    return `[${value
      .filter((v) => v !== null && v !== undefined)
      .map(tomlValue)
      .join(", ")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== null && v !== undefined);
    return `{ ${entries.map(([k, v]) => `${toml(k)} = ${tomlValue(v)}`).join(", ")} }`;
  }
  return '""';
}

const tomlLock = fc.array(lockPackage, { maxLength: 6 }).map((packages) =>
  [
    "version = 1",
    ...packages.map(
      (p) =>
        `[[package]]\n${Object.entries(p)
          .filter(([, v]) => v !== null && v !== undefined)
          .map(([k, v]) => `${k} = ${tomlValue(v)}`)
          .join("\n")}`,
    ),
  ].join("\n\n"),
);

const pyproject = fc
  .record({
    deps: fc.array(text, { maxLength: 5 }),
    optional: fc.dictionary(text, fc.array(text, { maxLength: 3 }), { maxKeys: 2 }),
    groups: fc.dictionary(
      fc.constantFrom("a", "b", "c"),
      fc.array(
        fc.oneof(
          text,
          fc.constantFrom("a", "b", "c", "zz").map((g) => ({ "include-group": g })),
        ),
        { maxLength: 3 },
      ),
      { maxKeys: 3 },
    ),
    poetry: fc.dictionary(
      text,
      fc.oneof(
        text,
        fc.record(
          {
            version: maybe(text),
            python: maybe(text),
            git: maybe(text),
            path: maybe(text),
            optional: maybe(fc.boolean()),
            extras: maybe(fc.array(text)),
          },
          { requiredKeys: [] },
        ),
        leaf,
      ),
      { maxKeys: 4 },
    ),
    dynamic: fc.array(fc.constantFrom("dependencies", "version"), { maxLength: 2 }),
  })
  .map((p) =>
    [
      `project = ${tomlValue({ dependencies: p.deps, "optional-dependencies": p.optional, dynamic: p.dynamic })}`,
      `"dependency-groups" = ${tomlValue(p.groups)}`,
      `tool = ${tomlValue({ poetry: { dependencies: p.poetry } })}`,
    ].join("\n"),
  );

const packageLock = fc.record({
  lockfileVersion: fc.oneof(fc.constantFrom(1, 2, 3), leaf),
  packages: fc.oneof(
    fc.dictionary(
      fc.oneof(
        fc.constantFrom("", "node_modules/", "node_modules/a", "node_modules/a/node_modules/@s/b", "packages/x"),
        text.map((t) => `node_modules/${t}`),
      ),
      fc.oneof(
        fc.record(
          {
            name: maybe(leaf),
            version: maybe(leaf),
            resolved: maybe(text),
            license: maybe(leaf),
            dev: maybe(leaf),
            hasInstallScript: maybe(leaf),
            link: maybe(fc.boolean()),
            dependencies: maybe(fc.dictionary(text, text)),
          },
          { requiredKeys: [] },
        ),
        leaf,
      ),
      { maxKeys: 6 },
    ),
    leaf,
  ),
});

const component: fc.Arbitrary<unknown> = fc.letrec<{ c: unknown }>((tie) => ({
  c: fc.record(
    {
      name: maybe(leaf),
      version: maybe(leaf),
      purl: maybe(
        fc.oneof(
          text,
          text.map((t) => `pkg:pypi/${t}@1.0`),
          text.map((t) => `pkg:npm/${encodeURIComponent(t)}@${t}`),
        ),
      ),
      "bom-ref": maybe(text),
      licenses: maybe(
        fc.array(
          fc.oneof(
            fc.record({ license: fc.record({ id: maybe(leaf), name: maybe(leaf) }, { requiredKeys: [] }) }),
            fc.record({ expression: leaf }),
            leaf,
          ),
          { maxLength: 3 },
        ),
      ),
      hashes: maybe(fc.array(fc.record({ alg: leaf, content: leaf }, { requiredKeys: [] }), { maxLength: 2 })),
      components: maybe(fc.array(tie("c"), { maxLength: 2 })),
    },
    { requiredKeys: [] },
  ),
})).c;
const cyclonedx = fc.record({
  bomFormat: fc.oneof(fc.constant("CycloneDX"), leaf),
  metadata: maybe(fc.record({ component: fc.record({ "bom-ref": text }) })),
  components: fc.oneof(fc.array(component, { maxLength: 5 }), leaf),
  dependencies: maybe(
    fc.array(fc.record({ ref: text, dependsOn: fc.oneof(fc.array(text, { maxLength: 3 }), leaf) }), { maxLength: 3 }),
  ),
});

const pipfile = fc.record({
  _meta: fc.oneof(fc.record({ sources: fc.array(fc.record({ url: leaf }), { maxLength: 2 }) }), leaf),
  default: fc.oneof(
    fc.dictionary(
      text,
      fc.oneof(
        fc.record(
          { version: maybe(leaf), hashes: maybe(leaf), markers: maybe(leaf), git: maybe(text), editable: maybe(leaf) },
          { requiredKeys: [] },
        ),
        leaf,
      ),
      { maxKeys: 4 },
    ),
    leaf,
  ),
  develop: fc.oneof(fc.dictionary(text, leaf, { maxKeys: 3 }), leaf),
});

const conda = fc
  .array(
    fc.oneof(
      text.map(JSON.stringify),
      fc.array(text, { maxLength: 3 }).map((pip) => `{"pip": ${JSON.stringify(pip)}}`),
      leaf.map((v) => JSON.stringify(v) ?? "null"),
    ),
    { maxLength: 6 },
  )
  .map((items) => `name: fuzz\ndependencies:\n${items.map((item) => `  - ${item}`).join("\n")}\n`);

const CASES: [ManifestFormat, fc.Arbitrary<string>][] = [
  ["poetry-lock", tomlLock],
  ["uv-lock", tomlLock],
  ["pyproject", pyproject],
  ["package-lock", packageLock.map((v) => JSON.stringify(v, null, 2))],
  ["cyclonedx", cyclonedx.map((v) => JSON.stringify(v, null, 2))],
  ["pipfile-lock", pipfile.map((v) => JSON.stringify(v, null, 2))],
  ["conda", conda],
];

describe("structured fuzzing", () => {
  it.each(CASES)(
    "%s documents with hostile values",
    (format, documents) => {
      let parsedCleanly = 0;
      fc.assert(
        fc.property(documents, (content) => {
          const result = parseManifest({ files: [{ name: "fuzz", content }], format });
          if (!result.errors.some((e) => /^invalid (TOML|JSON|YAML)/.test(e.message))) parsedCleanly += 1;
          expect(result.errors.filter((e) => e.message.includes(INTERNAL_FAILURE))).toEqual([]);
          for (const dependency of result.dependencies) expect(dependency.normalizedName.trim()).not.toBe("");
        }),
        { numRuns: RUNS },
      );
      // The generators must mostly produce well-formed documents, or this test checks nothing.
      expect(parsedCleanly).toBeGreaterThan(RUNS / 2);
    },
    120_000,
  );
});
