import { describe, expect, it } from "vitest";
import { fixture } from "../fixtures/manifests/load";
import { parseCondaSpec, parseManifest } from "../../lib/dependencies/manifests";

const environment = (content: string) => parseManifest({ files: [{ name: "environment.yml", content }] });

describe("environment.yml fixture", () => {
  const result = parseManifest({ files: [fixture("environment.yml")] });
  const conda = result.dependencies.filter((d) => d.ecosystem === "conda");
  const pip = result.dependencies.filter((d) => d.ecosystem === "PyPI");

  it("reads conda packages (python included) and the pip section", () => {
    expect(result.format).toBe("conda");
    expect(result.errors).toEqual([]);
    expect(conda).toHaveLength(15);
    expect(pip.map((d) => d.name)).toEqual([
      "segmentation-models-pytorch",
      "albumentations",
      "wandb",
      "timm",
      "geo-tiles-client",
    ]);
    expect(conda[0]).toMatchObject({ name: "python", spec: "==3.11.*", kind: "range", line: 9, direct: true });
  });

  it("keeps channels, builds and exact pins", () => {
    const byName = new Map(conda.map((d) => [d.name, d]));
    expect(byName.get("pytorch")).toMatchObject({
      channel: "pytorch",
      pinnedVersion: "2.1.2",
      build: "py3.11_cuda11.8_cudnn8.7.0_0",
      kind: "pinned",
    });
    expect(byName.get("scipy")).toMatchObject({ kind: "pinned", pinnedVersion: "1.11.4" });
    expect(byName.get("gdal")).toMatchObject({ channel: "conda-forge", spec: "==3.8.2.*" });
    expect(byName.get("pandas")).toMatchObject({ spec: ">=2.1,<2.2", kind: "range" });
    expect(byName.get("openssl")).toMatchObject({ spec: null, kind: "range" });
  });

  it("parses pip entries as requirement lines, with their YAML line numbers", () => {
    expect(pip[3]).toMatchObject({ name: "timm", line: 28, hashes: [expect.stringMatching(/^sha256:/)] });
    expect(result.warnings).toContainEqual({ line: 29, message: expect.stringContaining("dependency confusion") });
  });

  it("says that conda packages cannot be checked against OSV", () => {
    expect(result.warnings).toContainEqual({ line: null, message: expect.stringMatching(/15 conda package.*OSV/) });
  });
});

describe("conda specs", () => {
  it.each([
    ["numpy", { name: "numpy", spec: null, channel: null }],
    ["numpy 1.8*", { spec: "==1.8.*" }],
    ["numpy 1.8.1 py311_0", { spec: "==1.8.1", pinnedVersion: "1.8.1", build: "py311_0" }],
    ["numpy >=1.2,<2", { spec: ">=1.2,<2" }],
    ["numpy=1.26|1.27", { spec: "1.26|1.27", pinnedVersion: null }],
    [
      "conda-forge/linux-64::libgcc-ng==13.2.0",
      { channel: "conda-forge/linux-64", name: "libgcc-ng", pinnedVersion: "13.2.0" },
    ],
    ["numpy[version='>=1.2', build=py*]", { spec: ">=1.2", build: "py*" }],
    ["openssl=1.1.1w", { spec: "==1.1.1w.*" }],
    ["openssl==1.1.1w", { pinnedVersion: "1.1.1w" }],
  ])("%s", (text, expected) => {
    expect(parseCondaSpec(text)).toMatchObject(expected);
  });

  it("rejects an entry that is not a spec", () => {
    expect(parseCondaSpec("=1.0")).toHaveProperty("error");
  });
});

describe("broken environment files", () => {
  it("malformed YAML is one error with its line", () => {
    const result = environment("name: x\ndependencies:\n  - numpy\n  - [unclosed\n");
    expect(result.dependencies).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.line).toBeGreaterThanOrEqual(4);
  });

  it("a bad entry is reported at its line and the rest are read", () => {
    const result = environment(
      "dependencies:\n  - numpy=1.26\n  - {foo: bar}\n  - '>=oops'\n  - pip:\n      - requests==2.31.0\n      - not valid!\n",
    );
    expect(result.dependencies.map((d) => d.name)).toEqual(["numpy", "requests"]);
    expect(result.errors.map((e) => e.line)).toEqual([3, 4, 7]);
  });

  it("a file without a dependencies list is an error", () => {
    expect(environment("name: empty\n").errors).toEqual([{ line: null, message: "no dependencies list" }]);
  });
});
