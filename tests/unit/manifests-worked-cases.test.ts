/** The worked cases of docs/reference dependency-review.md (1-5, 9-15), one assertion block each. */
import { describe, expect, it } from "vitest";
import {
  defaultTarget,
  evaluateMarker,
  isPep508Error,
  normalizePep440,
  normalizePyPIName,
  parseCondaSpec,
  parseManifest,
  parsePep508,
  translatePoetryConstraint,
  versionSatisfies,
} from "../../lib/dependencies/manifests";

const requirements = (content: string) => parseManifest({ files: [{ name: "requirements.txt", content }] });

describe("worked cases", () => {
  it("1: extras, sorted canonical spec, marker false on Python 3.11 but the requirement is kept", () => {
    const line = 'requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < "2.7"';
    const parsed = parsePep508(line);
    expect(parsed).toEqual({
      name: "requests",
      extras: ["security", "tests"],
      spec: "==2.8.*,>=2.8.1",
      marker: 'python_version < "2.7"',
      url: null,
    });
    const [dependency] = requirements(line).dependencies;
    expect(dependency).toMatchObject({
      name: "requests",
      spec: "==2.8.*,>=2.8.1",
      kind: "range",
      pinnedVersion: null,
      markerResult: "false",
    });
  });

  it("2: PEP 503 name normalisation", () => {
    expect(["Friendly_Bard", "FrIeNdLy-._.-bArD", "zope.interface"].map(normalizePyPIName)).toEqual([
      "friendly-bard",
      "friendly-bard",
      "zope-interface",
    ]);
  });

  it("3: continuation lines carry two hashes; an unhashed neighbour triggers the partial-hashing warning", () => {
    const hashed = "numpy==1.26.4 \\\n    --hash=sha256:A \\\n    --hash=sha256:B  # via scipy\n";
    const alone = requirements(hashed);
    expect(alone.dependencies).toHaveLength(1);
    expect(alone.dependencies[0]).toMatchObject({
      name: "numpy",
      pinnedVersion: "1.26.4",
      hashes: ["sha256:A", "sha256:B"],
      line: 1,
    });
    expect(alone.warnings).toEqual([]);
    const mixed = requirements(`${hashed}pandas==2.2.0\n`);
    expect(mixed.dependencies.map((d) => d.name)).toEqual(["numpy", "pandas"]);
    expect(mixed.warnings).toContainEqual(
      expect.objectContaining({ line: 4, message: expect.stringMatching(/pandas.*partial hashing/) }),
    );
  });

  it("4: a URL requirement keeps its fragment", () => {
    const [dependency] = requirements("pkg @ https://h/p-1.0.whl#sha256=abc\n").dependencies;
    expect(dependency).toMatchObject({
      name: "pkg",
      kind: "url",
      url: "https://h/p-1.0.whl#sha256=abc",
      spec: null,
      pinnedVersion: null,
    });
  });

  it("5: PEP 440 version normalisation", () => {
    expect(["1.1RC1", "v1.0", "1.0-r4", "1.0-1", "1.2.post", "09000.1"].map(normalizePep440)).toEqual([
      "1.1rc1",
      "1.0",
      "1.0.post4",
      "1.0.post1",
      "1.2.post0",
      "9000.1",
    ]);
  });

  it("9: compatible release ~= bounds, and ~=1 is a parse error", () => {
    expect(versionSatisfies("2.9", "~=2.2")).toBe(true);
    expect(versionSatisfies("3.0", "~=2.2")).toBe(false);
    expect(versionSatisfies("1.4.9", "~=1.4.5")).toBe(true);
    expect(versionSatisfies("1.5.0", "~=1.4.5")).toBe(false);
    expect(isPep508Error(parsePep508("pkg~=1"))).toBe(true);
    const result = requirements("ok==1.0\npkg~=1\n");
    expect(result.errors).toEqual([expect.objectContaining({ line: 2 })]);
    expect(result.dependencies.map((d) => d.name)).toEqual(["ok"]);
  });

  it("10: python_version compares as a version, not a string", () => {
    expect(evaluateMarker('python_version > "3.9"', { ...defaultTarget, pythonVersion: "3.10" })).toBe("true");
  });

  it("11: a Windows-only requirement is not applicable on linux", () => {
    const [dependency] = requirements('pywin32; sys_platform=="win32"\n').dependencies;
    expect(dependency).toMatchObject({ name: "pywin32", marker: 'sys_platform=="win32"', markerResult: "false" });
  });

  it("12: a lower bound is a range, not a version", () => {
    const [dependency] = requirements("PyJWT>=2.10.0\n").dependencies;
    expect(dependency).toMatchObject({
      name: "PyJWT",
      normalizedName: "pyjwt",
      kind: "range",
      pinnedVersion: null,
      spec: ">=2.10.0",
    });
  });

  it("13: Poetry caret and tilde become PEP 440 ranges", () => {
    expect(translatePoetryConstraint("^2.1")).toEqual({ spec: ">=2.1.0,<3.0.0" });
    expect(translatePoetryConstraint("^0.2.3")).toEqual({ spec: ">=0.2.3,<0.3.0" });
    expect(translatePoetryConstraint("~1.2")).toEqual({ spec: ">=1.2.0,<1.3.0" });
    const poetry = parseManifest({
      files: [
        {
          name: "pyproject.toml",
          content: '[tool.poetry.dependencies]\npython = "^3.10"\na = "^2.1"\nb = "^0.2.3"\nc = "~1.2"\n',
        },
      ],
    });
    expect(poetry.dependencies.map((d) => [d.name, d.spec])).toEqual([
      ["a", ">=2.1.0,<3.0.0"],
      ["b", ">=0.2.3,<0.3.0"],
      ["c", ">=1.2.0,<1.3.0"],
    ]);
  });

  it("14: conda fuzzy versions and version=build pins", () => {
    expect(parseCondaSpec("numpy=1.26")).toMatchObject({
      name: "numpy",
      spec: "==1.26.*",
      pinnedVersion: null,
      build: null,
    });
    expect(parseCondaSpec("numpy=1.16.3=py37h926163e_0")).toMatchObject({
      name: "numpy",
      pinnedVersion: "1.16.3",
      build: "py37h926163e_0",
    });
    const conda = parseManifest({
      files: [{ name: "environment.yml", content: "dependencies:\n  - numpy=1.26\n  - numpy=1.16.3=py37h926163e_0\n" }],
    });
    expect(conda.dependencies.map((d) => [d.kind, d.spec, d.pinnedVersion, d.build])).toEqual([
      ["range", "==1.26.*", null, null],
      ["pinned", "==1.16.3", "1.16.3", "py37h926163e_0"],
    ]);
  });

  it("15: uv's virtual root is skipped; a nested package-lock key names the last package", () => {
    const uv = parseManifest({
      files: [
        {
          name: "uv.lock",
          content:
            'version = 1\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { virtual = "." }\ndependencies = [{ name = "six" }]\n\n[[package]]\nname = "six"\nversion = "1.16.0"\nsource = { registry = "https://pypi.org/simple" }\n',
        },
      ],
    });
    expect(uv.dependencies.map((d) => [d.name, d.direct])).toEqual([["six", true]]);
    const lock = {
      lockfileVersion: 3,
      packages: {
        "": { name: "root" },
        "node_modules/a": { version: "1.0.0" },
        "node_modules/a/node_modules/@s/b": { version: "2.0.0" },
      },
    };
    const npm = parseManifest({ files: [{ name: "package-lock.json", content: JSON.stringify(lock) }] });
    expect(npm.dependencies.map((d) => d.name)).toEqual(["a", "@s/b"]);
  });
});

describe("pinning rules", () => {
  it("keeps the local version of an exact pin, treats == with .* as a range and === as pinned", () => {
    const result = requirements("torch==2.1.0+cu118\nnumpy==1.26.*\nlegacy===1.0-custom\n");
    expect(result.dependencies.map((d) => [d.kind, d.pinnedVersion])).toEqual([
      ["pinned", "2.1.0+cu118"],
      ["range", null],
      ["pinned", "1.0-custom"],
    ]);
  });

  it("a local version matches == without a local part", () => {
    expect(versionSatisfies("2.1.0+cu118", "==2.1.0")).toBe(true);
    expect(versionSatisfies("not a version", ">=1")).toBeNull();
  });
});
