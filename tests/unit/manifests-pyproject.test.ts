import { describe, expect, it } from "vitest";
import { fixture } from "../fixtures/manifests/load";
import { parseManifest, translatePoetryConstraint } from "../../lib/dependencies/manifests";

const pyproject = (content: string) => parseManifest({ files: [{ name: "pyproject.toml", content }] });
const find = (result: ReturnType<typeof pyproject>, name: string) =>
  result.dependencies.find((d) => d.normalizedName === name);

describe("PEP 621 fixture", () => {
  const result = parseManifest({ files: [fixture("pyproject-pep621.toml")] });

  it("reads project, optional, group and build dependencies without errors", () => {
    expect(result.format).toBe("pyproject");
    expect(result.errors).toEqual([]);
    expect(result.dependencies).toHaveLength(21);
    expect(result.dependencies.filter((d) => d.groups.length === 0)).toHaveLength(10);
    expect(result.dependencies.every((d) => d.direct)).toBe(true);
  });

  it("groups optional dependencies by extra and dependency groups through include-group", () => {
    expect(find(result, "torch")?.groups).toEqual(["gpu"]);
    expect(find(result, "shap")?.groups).toEqual(["explain"]);
    expect(find(result, "pytest")?.groups).toEqual(["test", "dev"]);
    expect(find(result, "ruff")?.groups).toEqual(["lint", "dev"]);
    expect(find(result, "ipython")?.groups).toEqual(["dev"]);
    expect(find(result, "hatchling")?.groups).toEqual(["build-system"]);
  });

  it("keeps lines, markers and url requirements", () => {
    expect(find(result, "pandas")).toMatchObject({ line: 13, kind: "pinned", pinnedVersion: "2.1.4" });
    expect(find(result, "pywin32")).toMatchObject({ markerResult: "false", line: 20 });
    expect(find(result, "mlflow-skinny")).toMatchObject({ kind: "url", hashes: [expect.stringMatching(/^sha256:/)] });
    expect(result.warnings).toEqual([
      expect.objectContaining({ message: expect.stringContaining("pypi.internal.example.com") }),
    ]);
  });
});

describe("PEP 621 rules", () => {
  it("warns when dependencies are dynamic", () => {
    const result = pyproject('[project]\nname = "x"\ndynamic = ["dependencies", "version"]\n');
    expect(result.warnings).toContainEqual({ line: null, message: "dependencies are dynamic, not in the file" });
    expect(result.dependencies).toEqual([]);
  });

  it("reports a bad requirement string at its line and keeps the others", () => {
    const result = pyproject(
      '[project]\nname = "x"\ndependencies = [\n  "numpy>=1.26",\n  "torch===",\n  "not a requirement!",\n  "scipy",\n]\n',
    );
    expect(result.dependencies.map((d) => d.name)).toEqual(["numpy", "scipy"]);
    expect(result.errors.map((e) => e.line)).toEqual([5, 6]);
  });

  it("cuts include-group cycles and reports unknown groups", () => {
    const result = pyproject(
      '[dependency-groups]\na = ["x==1", {include-group = "b"}]\nb = ["y==1", {include-group = "a"}, {include-group = "missing"}]\n',
    );
    expect(find(result, "x")?.groups).toEqual(["a", "b"]);
    expect(find(result, "y")?.groups).toEqual(["a", "b"]);
    expect(result.warnings.filter((w) => w.message.includes("cycle"))).toHaveLength(2);
    expect(result.errors.filter((e) => e.message.includes("missing"))).toHaveLength(2);
  });

  it("malformed TOML is one error with the parser's line and no dependencies", () => {
    const result = pyproject('[project]\nname = "x"\ndependencies = [\n  "numpy"\n  "scipy"\n]\n');
    expect(result.dependencies).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.line).toBe(5);
  });
});

describe("Poetry fixture", () => {
  const result = parseManifest({ files: [fixture("pyproject-poetry.toml")] });

  it("reads main, dev and docs groups, skipping python", () => {
    expect(result.errors).toEqual([]);
    expect(result.dependencies).toHaveLength(16);
    expect(find(result, "python")).toBeUndefined();
    expect(result.dependencies.filter((d) => d.groups.includes("dev")).map((d) => d.name)).toEqual([
      "pytest",
      "black",
      "mypy",
    ]);
    expect(find(result, "mkdocs-material")?.groups).toEqual(["docs"]);
  });

  it("translates constraints and table forms", () => {
    expect(find(result, "numpy")).toMatchObject({ spec: ">=1.26.0,<2.0.0", kind: "range", line: 10 });
    expect(find(result, "pandas")?.spec).toBe(">=2.1.0,<2.2.0");
    expect(find(result, "scikit-learn")).toMatchObject({ spec: "==1.3.2", kind: "pinned", pinnedVersion: "1.3.2" });
    expect(find(result, "boto3")).toMatchObject({ spec: null, kind: "range" });
    expect(find(result, "requests")?.extras).toEqual(["socks"]);
    expect(find(result, "prophet")?.groups).toEqual(["forecast"]);
    expect(find(result, "torch")).toMatchObject({ marker: "sys_platform == 'linux'", markerResult: "true" });
    expect(find(result, "pyarrow")).toMatchObject({ marker: 'python_version >= "3.11"', markerResult: "true" });
  });

  it("marks git and path dependencies", () => {
    expect(find(result, "feature-store-client")).toMatchObject({
      kind: "vcs",
      url: "git+https://github.com/example-org/feature-store-client.git@v0.9.1",
      pinnedVersion: null,
    });
    expect(find(result, "internal-metrics")).toMatchObject({ kind: "editable", url: "../internal-metrics" });
  });
});

describe("Poetry constraints", () => {
  it.each([
    ["^1.2.3", ">=1.2.3,<2.0.0"],
    ["^0.0.3", ">=0.0.3,<0.0.4"],
    ["^0.0", ">=0.0.0,<0.1.0"],
    ["^0", ">=0.0.0,<1.0.0"],
    ["~1", ">=1.0.0,<2.0.0"],
    ["~1.2.3", ">=1.2.3,<1.3.0"],
    [">= 1.2, < 1.5", ">=1.2,<1.5"],
    [">=1.2 <1.5", ">=1.2,<1.5"],
    ["1.2.*", "==1.2.*"],
    ["=2.0", "==2.0"],
    ["~=2.2", "~=2.2"],
    ["*", null],
  ])("%s -> %s", (constraint, spec) => {
    expect(translatePoetryConstraint(constraint)).toEqual({ spec });
  });

  it("rejects nonsense and ORs", () => {
    expect(translatePoetryConstraint("^banana")).toHaveProperty("error");
    expect(translatePoetryConstraint("^1.0 || ^2.0")).toHaveProperty("error");
  });

  it("keeps an OR constraint as written with a warning, and several constraints per package", () => {
    const result = pyproject(
      '[tool.poetry.dependencies]\nnumpy = [\n  { version = "<1.25", python = "<3.9" },\n  { version = "^1.26", python = ">=3.9" },\n]\nscipy = "^1.10 || ^1.11"\n',
    );
    expect(result.dependencies.map((d) => [d.name, d.spec, d.markerResult])).toEqual([
      ["numpy", "<1.25", "false"],
      ["numpy", ">=1.26.0,<2.0.0", "true"],
      ["scipy", "^1.10 || ^1.11", null],
    ]);
    expect(result.warnings).toHaveLength(1);
  });
});
