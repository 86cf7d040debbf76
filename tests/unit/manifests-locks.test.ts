import { describe, expect, it } from "vitest";
import { fixture } from "../fixtures/manifests/load";
import { parseManifest } from "../../lib/dependencies/manifests";

const byName = (result: ReturnType<typeof parseManifest>) =>
  new Map(result.dependencies.map((d) => [d.normalizedName, d]));

describe("poetry.lock fixture", () => {
  const result = parseManifest({ files: [fixture("poetry.lock")] });
  const deps = byName(result);

  it("locks every package exactly, none direct", () => {
    expect(result.format).toBe("poetry-lock");
    expect(result.errors).toEqual([]);
    expect(result.dependencies).toHaveLength(21);
    expect(result.dependencies.every((d) => d.pinnedVersion !== null && !d.direct)).toBe(true);
    expect(deps.get("pytz")).toMatchObject({ pinnedVersion: "2023.3.post1", spec: "==2023.3.post1", kind: "pinned" });
  });

  it("keeps groups, file hashes, markers and the git source", () => {
    expect(deps.get("packaging")?.groups).toEqual(["main", "dev"]);
    expect(deps.get("pytest")?.groups).toEqual(["dev"]);
    expect(deps.get("numpy")?.hashes).toHaveLength(2);
    expect(deps.get("colorama")).toMatchObject({ marker: 'sys_platform == "win32"', markerResult: "false" });
    expect(deps.get("feature-store-client")).toMatchObject({
      kind: "vcs",
      url: expect.stringMatching(/^git\+https:\/\/github\.com\/.*@3f2b9c1d/),
    });
  });

  it("finds each package's own [[package]] line, not a mention in another's dependencies", () => {
    const content = fixture("poetry.lock").content.split("\n");
    for (const dependency of result.dependencies)
      expect(content[(dependency.line ?? 0) - 1]).toBe(`name = "${dependency.name}"`);
  });

  it("reads the older category field as the group", () => {
    const old = parseManifest({
      files: [{ name: "poetry.lock", content: '[[package]]\nname = "six"\nversion = "1.16.0"\ncategory = "dev"\n' }],
    });
    expect(old.dependencies[0]?.groups).toEqual(["dev"]);
  });
});

describe("uv.lock fixture", () => {
  const result = parseManifest({ files: [fixture("uv.lock")] });
  const deps = byName(result);

  it("skips the virtual project root and takes direct dependencies from it", () => {
    expect(result.format).toBe("uv-lock");
    expect(result.errors).toEqual([]);
    expect(result.dependencies).toHaveLength(20);
    expect(deps.has("embedding-service")).toBe(false);
    expect(
      result.dependencies
        .filter((d) => d.direct)
        .map((d) => d.name)
        .sort(),
    ).toEqual(["fastapi", "numpy", "pydantic", "pytest", "torch", "uvicorn"]);
  });

  it("takes groups and markers from the root's edges, and sdist plus wheel hashes", () => {
    expect(deps.get("pytest")?.groups).toEqual(["dev"]);
    expect(deps.get("torch")).toMatchObject({
      groups: ["gpu"],
      marker: "sys_platform == 'linux'",
      markerResult: "true",
    });
    expect(deps.get("anyio")).toMatchObject({
      direct: false,
      groups: [],
      hashes: [expect.stringMatching(/^sha256:/), expect.stringMatching(/^sha256:/)],
    });
    expect(deps.get("starlette")?.pinnedVersion).toBe("0.32.0.post1");
  });

  it("skips an editable root, marks git sources and warns about other indexes", () => {
    const result = parseManifest({
      files: [
        {
          name: "uv.lock",
          content: [
            "version = 1",
            '[[package]]\nname = "proj"\nversion = "1.0"\nsource = { editable = "." }\ndependencies = [{ name = "peft" }]',
            '[[package]]\nname = "peft"\nversion = "0.7.1"\nsource = { git = "https://github.com/huggingface/peft?rev=v0.7.1#1a2b3c" }',
            '[[package]]\nname = "private-lib"\nversion = "2.0"\nsource = { registry = "https://pypi.internal.example.com/simple" }',
          ].join("\n"),
        },
      ],
    });
    expect(result.dependencies.map((d) => [d.name, d.kind, d.direct])).toEqual([
      ["peft", "vcs", true],
      ["private-lib", "pinned", false],
    ]);
    expect(result.warnings).toEqual([
      expect.objectContaining({ message: expect.stringContaining("pypi.internal.example.com") }),
    ]);
  });
});

describe("Pipfile.lock fixture", () => {
  const result = parseManifest({ files: [fixture("Pipfile.lock")] });
  const deps = byName(result);

  it("strips == and keeps hashes; a package in both sections is one entry in both groups", () => {
    expect(result.format).toBe("pipfile-lock");
    expect(result.errors).toEqual([]);
    expect(result.dependencies).toHaveLength(16);
    expect(deps.get("requests")).toMatchObject({
      pinnedVersion: "2.31.0",
      kind: "pinned",
      groups: ["default"],
      direct: false,
      hashes: [expect.stringMatching(/^sha256:[0-9a-f]{64}$/), expect.any(String)],
    });
    expect(deps.get("numpy")?.groups).toEqual(["default", "develop"]);
    expect(deps.get("pytest")?.groups).toEqual(["develop"]);
  });

  it("evaluates markers and marks git entries", () => {
    expect(deps.get("pywin32")?.markerResult).toBe("false");
    expect(deps.get("charset-normalizer")?.markerResult).toBe("true");
    expect(deps.get("vision-utils")).toMatchObject({ kind: "vcs", pinnedVersion: null });
  });

  it("warns about the non-PyPI source", () => {
    expect(result.warnings).toEqual([
      expect.objectContaining({ message: expect.stringContaining("download.pytorch.org") }),
    ]);
  });
});

describe("broken lock files", () => {
  it.each([
    ["poetry.lock", '[[package]]\nname = "six"\nversion = "1.16.0"\n[[package]\n'],
    ["uv.lock", 'version = 1\n\n[[package]]\nname = = "x"\n'],
    ["Pipfile.lock", '{\n  "default": {\n    "six": {"version": "==1.16.0"},\n  }\n}'],
  ])("%s: one error with a line, no dependencies", (name, content) => {
    const result = parseManifest({ files: [{ name, content }] });
    expect(result.dependencies).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.line).toBeGreaterThan(1);
  });

  it("skips nameless entries with an error and keeps the rest", () => {
    const result = parseManifest({
      files: [
        {
          name: "poetry.lock",
          content: '[[package]]\nversion = "1.0"\n\n[[package]]\nname = "six"\nversion = "1.16.0"\n',
        },
      ],
    });
    expect(result.dependencies.map((d) => d.name)).toEqual(["six"]);
    expect(result.errors).toHaveLength(1);
  });
});
