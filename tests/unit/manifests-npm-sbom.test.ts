import { describe, expect, it } from "vitest";
import { fixture } from "../fixtures/manifests/load";
import { parseManifest, parsePurl } from "../../lib/dependencies/manifests";

describe("package-lock.json fixture (v3)", () => {
  const result = parseManifest({ files: [fixture("package-lock.json")] });
  const at = (name: string, version: string) =>
    result.dependencies.find((d) => d.name === name && d.pinnedVersion === version);

  it("reads every installed package except the root", () => {
    expect(result.format).toBe("package-lock");
    expect(result.errors).toEqual([]);
    expect(result.dependencies).toHaveLength(23);
    expect(result.dependencies.some((d) => d.name === "model-card-viewer")).toBe(false);
    expect(result.dependencies.every((d) => d.ecosystem === "npm")).toBe(true);
  });

  it("names nested and scoped packages after the last node_modules/", () => {
    expect(at("long", "5.2.3")).toMatchObject({ direct: false });
    expect(at("@types/qs", "6.9.11")).toMatchObject({ normalizedName: "@types/qs", direct: false });
    expect(at("@tensorflow/tfjs", "4.15.0")).toMatchObject({
      direct: true,
      licence: "Apache-2.0",
      hashes: [expect.stringMatching(/^sha512-/)],
    });
  });

  it("marks direct dependencies only at the top of node_modules and declared by the root", () => {
    expect(
      result.dependencies
        .filter((d) => d.direct)
        .map((d) => d.name)
        .sort(),
    ).toEqual(["@tensorflow/tfjs", "chart-helpers", "express", "onnxruntime-web", "sharp", "typescript", "vitest"]);
  });

  it("flags install scripts, git and tarball sources, and dev/optional groups", () => {
    expect(result.dependencies.filter((d) => d.hasInstallScript).map((d) => d.name)).toEqual([
      "protobufjs",
      "sharp",
      "esbuild",
    ]);
    expect(at("chart-helpers", "1.2.0")).toMatchObject({ kind: "vcs", url: expect.stringMatching(/^git\+ssh:/) });
    expect(at("legacy-plot", "0.2.1")).toMatchObject({
      kind: "url",
      url: "https://cdn.example.com/tarballs/legacy-plot-0.2.1.tgz",
    });
    expect(at("express", "4.18.2")?.kind).toBe("pinned");
    expect(at("typescript", "5.3.3")?.groups).toEqual(["dev"]);
    expect(at("@esbuild/linux-x64", "0.19.11")?.groups).toEqual(["dev", "optional"]);
    expect(at("@img/sharp-linux-x64", "0.33.1")?.groups).toEqual(["optional"]);
  });

  it("reports each entry's key line", () => {
    const lines = fixture("package-lock.json").content.split("\n");
    expect(lines[(at("long", "5.2.3")?.line ?? 0) - 1]?.trim()).toBe('"node_modules/protobufjs/node_modules/long": {');
  });
});

describe("package-lock edge cases", () => {
  const lock = (value: unknown) =>
    parseManifest({ files: [{ name: "package-lock.json", content: JSON.stringify(value, null, 2) }] });

  it("v1 (npm 5-6): the nested dependencies tree, with groups, aliases, git and local packages", () => {
    const result = lock({
      name: "scorer-ui",
      version: "1.0.0",
      lockfileVersion: 1,
      requires: true,
      dependencies: {
        express: {
          version: "4.18.2",
          resolved: "https://registry.npmjs.org/express/-/express-4.18.2.tgz",
          integrity: "sha512-abc",
          requires: { debug: "2.6.9", qs: "6.11.0" },
          dependencies: {
            debug: { version: "2.6.9", resolved: "https://registry.npmjs.org/debug/-/debug-2.6.9.tgz" },
          },
        },
        qs: { version: "6.11.0", resolved: "https://registry.npmjs.org/qs/-/qs-6.11.0.tgz" },
        debug: { version: "4.3.4", dev: true },
        fsevents: { version: "2.3.3", optional: true, dev: true },
        "my-lodash": { version: "npm:lodash@4.17.21" },
        "chart-helpers": { version: "git+ssh://git@github.com/acme/chart-helpers.git#0a1b2c3" },
        "local-utils": { version: "file:../local-utils" },
      },
    });
    expect(result.format).toBe("package-lock");
    expect(result.errors).toEqual([]);
    expect(
      result.dependencies.map((d) => [d.name, d.pinnedVersion, d.kind, d.direct, d.groups.join("+") || "-"]),
    ).toEqual([
      ["express", "4.18.2", "pinned", true, "-"],
      ["debug", "2.6.9", "pinned", false, "-"], // express's own copy
      ["qs", "6.11.0", "pinned", false, "-"], // required by express: transitive
      ["debug", "4.3.4", "pinned", false, "dev"], // required by express (another version): transitive
      ["fsevents", "2.3.3", "pinned", true, "dev+optional"],
      ["lodash", "4.17.21", "pinned", true, "-"],
      ["chart-helpers", null, "vcs", true, "-"],
      ["local-utils", null, "url", true, "-"],
    ]);
    expect(result.dependencies.find((d) => d.name === "local-utils")).toMatchObject({ url: "file:../local-utils" });
    expect(result.warnings).toEqual([expect.objectContaining({ message: "my-lodash is an alias of lodash" })]);
  });

  it("v1 that cannot be read fully is an error naming the entry, never a partial success", () => {
    const result = lock({ lockfileVersion: 1, dependencies: { a: { version: "1.0.0" }, b: { resolved: "x" }, c: 3 } });
    expect(result.errors.map((e) => e.message)).toEqual(["c: expected an object", "b: no version"]);
    expect(lock({ lockfileVersion: 1, dependencies: [] }).errors.map((e) => e.message)).toEqual([
      "dependencies is not an object: not a package-lock.json",
    ]);
    expect(lock({ lockfileVersion: 1 }).errors).toHaveLength(1);
  });

  it("v2/v3: local file: tarballs and linked folders are listed as local packages; workspaces are not", () => {
    const result = lock({
      lockfileVersion: 3,
      packages: {
        "": {
          dependencies: { "local-utils": "file:../local-utils", vendored: "file:vendor/x-1.0.0.tgz" },
          workspaces: ["packages/*"],
        },
        "../local-utils": { version: "0.3.0", license: "MIT" },
        "node_modules/local-utils": { resolved: "../local-utils", link: true },
        "node_modules/vendored": { version: "1.0.0", resolved: "file:vendor/x-1.0.0.tgz" },
        "packages/ui": { version: "1.0.0" },
        "node_modules/ui": { resolved: "packages/ui", link: true },
      },
    });
    expect(result.errors).toEqual([]);
    expect(result.dependencies.map((d) => [d.name, d.spec, d.kind, d.url, d.pinnedVersion, d.direct])).toEqual([
      ["local-utils", "0.3.0", "url", "file:../local-utils", null, true],
      ["vendored", "1.0.0", "url", "file:vendor/x-1.0.0.tgz", null, true],
    ]);
  });

  it("skips workspace links and folders, reviews the real package behind an alias", () => {
    const result = lock({
      lockfileVersion: 3,
      packages: {
        "": { dependencies: { "my-lodash": "npm:lodash@4.17.21" }, workspaces: ["packages/*"] },
        "packages/ui": { version: "1.0.0" },
        "node_modules/ui": { resolved: "packages/ui", link: true },
        "node_modules/my-lodash": {
          name: "lodash",
          version: "4.17.21",
          resolved: "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",
        },
        "node_modules/constructor": { version: "1.0.0" },
      },
    });
    expect(result.dependencies.map((d) => [d.name, d.direct])).toEqual([
      ["lodash", true],
      ["constructor", false],
    ]);
    expect(result.warnings).toEqual([expect.objectContaining({ message: "my-lodash is an alias of lodash" })]);
  });

  it("malformed JSON is one error with a line", () => {
    const result = parseManifest({
      files: [
        {
          name: "package-lock.json",
          content: '{\n  "lockfileVersion": 3,\n  "packages": {\n    "": {}\n    "node_modules/a": {}\n  }\n}',
        },
      ],
    });
    expect(result.errors).toEqual([expect.objectContaining({ line: 5 })]);
  });
});

describe("CycloneDX fixture", () => {
  const result = parseManifest({ files: [fixture("bom.cdx.json")] });
  const byName = new Map(result.dependencies.map((d) => [d.name, d]));

  it("reads components with purls, nested ones included, and warns about the rest", () => {
    expect(result.format).toBe("cyclonedx");
    expect(result.errors).toEqual([]);
    expect(result.dependencies).toHaveLength(13);
    expect(byName.get("@gradio/client")).toMatchObject({ ecosystem: "npm", pinnedVersion: "0.9.3" });
    expect(result.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining("fraud-scorer-weights has no purl"),
      expect.stringContaining("maven"),
    ]);
  });

  it("takes direct dependencies from the root's dependsOn", () => {
    expect(result.dependencies.filter((d) => d.direct).map((d) => d.name)).toEqual([
      "torch",
      "numpy",
      "transformers",
      "gradio",
    ]);
  });

  it("joins licences into one SPDX expression", () => {
    expect(byName.get("tqdm")?.licence).toBe("MPL-2.0 AND MIT");
    expect(byName.get("regex")?.licence).toBe("Apache-2.0 AND CNRI-Python");
    expect(byName.get("@gradio/client")?.licence).toBe("ISC OR MIT");
    expect(byName.get("typing-extensions")?.licence).toBe("Python Software Foundation License");
    expect(byName.get("torch")?.hashes).toEqual([expect.stringMatching(/^sha256:[0-9a-f]{64}$/)]);
  });

  it("parenthesises compound expressions when joining, and without a graph nothing is direct", () => {
    const bom = {
      bomFormat: "CycloneDX",
      components: [
        {
          name: "x",
          purl: "pkg:pypi/x@1.0",
          licenses: [{ expression: "MIT OR Apache-2.0" }, { license: { id: "BSD-3-Clause" } }],
        },
      ],
    };
    const parsed = parseManifest({ files: [{ name: "bom.json", content: JSON.stringify(bom) }] });
    expect(parsed.dependencies[0]).toMatchObject({ licence: "(MIT OR Apache-2.0) AND BSD-3-Clause", direct: false });
    expect(parsed.warnings).toEqual([
      expect.objectContaining({ message: expect.stringContaining("no dependency graph") }),
    ]);
  });
});

describe("parsePurl", () => {
  it("decodes scopes and qualifiers", () => {
    expect(parsePurl("pkg:npm/%40angular/core@17.0.8")).toMatchObject({
      type: "npm",
      namespace: "@angular",
      name: "core",
      version: "17.0.8",
    });
    expect(parsePurl("pkg:npm/@types/node@20.10.0")).toMatchObject({
      namespace: "@types",
      name: "node",
      version: "20.10.0",
    });
    expect(
      parsePurl("pkg:conda/numpy@1.26.3?build=py311h64a7726_0&channel=conda-forge")?.qualifiers.get("channel"),
    ).toBe("conda-forge");
    expect(parsePurl("pkg:pypi/Django_Rest@3.0#sub/path")).toMatchObject({ name: "Django_Rest", version: "3.0" });
    expect(parsePurl("https://example.com")).toBeNull();
    expect(parsePurl("pkg:npm/%E0%A4%A@1")?.name).toBe("%E0%A4%A");
  });
});

describe("broken SBOMs", () => {
  it("malformed JSON is one error, with its line when the JSON parser gives a position", () => {
    const trailingComma = parseManifest({
      files: [
        {
          name: "bom.cdx.json",
          content: '{\n  "bomFormat": "CycloneDX",\n  "components": [\n    {"purl": "pkg:pypi/six@1.16.0",}\n  ]\n}',
        },
      ],
    });
    expect(trailingComma).toMatchObject({ dependencies: [], errors: [{ line: 4 }] });
    const doubleComma = parseManifest({
      files: [{ name: "bom.cdx.json", content: '{\n  "components": [\n    {},,\n  ]\n}' }],
    });
    expect(doubleComma.dependencies).toEqual([]);
    expect(doubleComma.errors).toEqual([{ line: null, message: "invalid JSON: Unexpected token ','" }]);
  });

  it("XML under a .json name is read as XML (an empty BOM: no components, no error)", () => {
    const xml = parseManifest({
      files: [
        { name: "bom.cdx.json", content: '<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.5"/>' },
      ],
    });
    expect(xml.errors).toEqual([]);
    expect(xml.dependencies).toEqual([]);
  });
});
