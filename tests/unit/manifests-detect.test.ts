import { describe, expect, it } from "vitest";
import { FIXTURE_NAMES, fixture, type FixtureName } from "../fixtures/manifests/load";
import { detectFormat, parseManifest, type ManifestFormat } from "../../lib/dependencies/manifests";

const EXPECTED: Record<FixtureName, ManifestFormat> = {
  "requirements-ml.txt": "requirements",
  "requirements-base.txt": "requirements",
  "pyproject-pep621.toml": "pyproject",
  "pyproject-poetry.toml": "pyproject",
  "poetry.lock": "poetry-lock",
  "uv.lock": "uv-lock",
  "Pipfile.lock": "pipfile-lock",
  "environment.yml": "conda",
  "package-lock.json": "package-lock",
  "bom.cdx.json": "cyclonedx",
};

describe("detectFormat", () => {
  it.each(FIXTURE_NAMES)("%s by its name", (name) => {
    expect(detectFormat(`uploads/${name}`, "")).toBe(EXPECTED[name]);
  });

  it.each(FIXTURE_NAMES)("%s by its content alone", (name) => {
    expect(detectFormat("upload", fixture(name).content)).toBe(EXPECTED[name]);
  });

  it.each([
    ["npm-shrinkwrap.json", "package-lock"],
    ["dev-requirements.txt", "requirements"],
    ["requirements.in", "requirements"],
    ["conda-env.yaml", "conda"],
    ["sbom.json", "cyclonedx"],
    ["app.cdx.json", "cyclonedx"],
  ] as const)("%s -> %s", (name, format) => {
    expect(detectFormat(name, "")).toBe(format);
  });

  it("sniffs content when the name says nothing", () => {
    expect(detectFormat("x", '{"bomFormat":"CycloneDX","components":[]}')).toBe("cyclonedx");
    expect(detectFormat("x", '{"lockfileVersion":3,"packages":{}}')).toBe("package-lock");
    expect(detectFormat("x", '{"_meta":{},"default":{}}')).toBe("pipfile-lock");
    expect(
      detectFormat("x", '[[package]]\nname = "six"\nversion = "1.16.0"\n\n[metadata]\nlock-version = "2.0"\n'),
    ).toBe("poetry-lock");
    expect(detectFormat("x", 'version = 1\n[[package]]\nname = "six"\nversion = "1.16.0"\n')).toBe("uv-lock");
    expect(detectFormat("x", "channels: [conda-forge]\ndependencies:\n  - numpy\n")).toBe("conda");
    expect(detectFormat("x", "numpy==1.26.4\n--extra-index-url https://x\n")).toBe("requirements");
  });

  it("returns null for content it does not recognise", () => {
    expect(detectFormat("notes.md", "# Hello\n\nThis model is great!\n")).toBeNull();
    expect(detectFormat("data.bin", "\u0000\u0001\u0002")).toBeNull();
    expect(detectFormat("x.json", '{"hello": "world"}')).toBeNull();
    expect(detectFormat("x", "")).toBeNull();
  });
});

describe("parseManifest without a recognisable file", () => {
  it("reports an error instead of guessing", () => {
    expect(parseManifest({ files: [{ name: "README.md", content: "# Model card!" }] }).errors).toEqual([
      { line: null, message: "could not recognise the format of README.md" },
    ]);
    expect(parseManifest({ files: [] }).errors).toEqual([{ line: null, message: "no file uploaded" }]);
  });

  it("an explicit format wins over detection", () => {
    const result = parseManifest({ files: [{ name: "deps.cfg", content: "numpy==1.26.4\n" }], format: "requirements" });
    expect(result.dependencies.map((d) => d.name)).toEqual(["numpy"]);
  });

  it("applies a partial target over the default one", () => {
    const content = 'pywin32==306; sys_platform == "win32" and python_version >= "3.8"\n';
    expect(
      parseManifest({ files: [{ name: "requirements.txt", content }], target: { platform: "win32" } }).dependencies[0]
        ?.markerResult,
    ).toBe("true");
    expect(parseManifest({ files: [{ name: "requirements.txt", content }] }).dependencies[0]?.markerResult).toBe(
      "false",
    );
  });
});

describe("byte-order marks", () => {
  it("are ignored at the start of any file", () => {
    expect(
      parseManifest({ files: [{ name: "requirements.txt", content: "\uFEFFnumpy==1.26.4\n" }] }).dependencies.map(
        (d) => d.name,
      ),
    ).toEqual(["numpy"]);
    const lock = parseManifest({
      files: [
        {
          name: "package-lock.json",
          content: `\uFEFF${JSON.stringify({ lockfileVersion: 3, packages: { "node_modules/a": { version: "1.0.0" } } })}`,
        },
      ],
    });
    expect(lock.errors).toEqual([]);
    expect(lock.dependencies).toHaveLength(1);
  });
});
