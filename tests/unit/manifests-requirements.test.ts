import { describe, expect, it } from "vitest";
import { fixture } from "../fixtures/manifests/load";
import { parseManifest, requirementIncludes, type ManifestFile } from "../../lib/dependencies/manifests";

const parse = (...files: ManifestFile[]) => parseManifest({ files, format: "requirements" });
const one = (content: string) => parse({ name: "requirements.txt", content });

describe("requirements-ml.txt fixture (with its -r include)", () => {
  const result = parse(fixture("requirements-ml.txt"), fixture("requirements-base.txt"));
  const byName = new Map(result.dependencies.map((d) => [d.normalizedName, d]));

  it("reads every requirement of both files, all direct, with no errors", () => {
    expect(result.format).toBe("requirements");
    expect(result.errors).toEqual([]);
    expect(result.dependencies).toHaveLength(21);
    expect(result.dependencies.every((d) => d.direct && d.ecosystem === "PyPI")).toBe(true);
  });

  it("parses the CUDA torch pin with its hashes and starting line", () => {
    expect(byName.get("torch")).toMatchObject({
      kind: "pinned",
      pinnedVersion: "2.1.0+cu118",
      line: 6,
      hashes: [expect.stringMatching(/^sha256:[0-9a-f]{64}$/), expect.stringMatching(/^sha256:[0-9a-f]{64}$/)],
    });
    expect(byName.get("torchvision")?.hashes).toHaveLength(1);
  });

  it("evaluates platform markers for linux", () => {
    expect(byName.get("tensorflow")?.markerResult).toBe("true");
    expect(byName.get("tensorflow-macos")?.markerResult).toBe("false");
    expect(byName.get("onnxruntime-gpu")?.markerResult).toBe("true");
    expect(byName.get("numpy")?.markerResult).toBeNull();
  });

  it("keeps extras and ranges", () => {
    expect(byName.get("transformers")?.extras).toEqual(["torch", "sentencepiece"]);
    expect(byName.get("tokenizers")).toMatchObject({ kind: "range", spec: "<0.16,>=0.15" });
    expect(byName.get("accelerate")).toMatchObject({ kind: "range", spec: "~=0.25.0" });
    expect(byName.get("uvicorn")?.extras).toEqual(["standard"]);
  });

  it("warns about the extra index and about partial hashing, naming the included file", () => {
    expect(result.warnings).toContainEqual({ line: 4, message: expect.stringContaining("dependency confusion") });
    expect(result.warnings).toContainEqual({
      line: 2,
      file: "requirements-base.txt",
      message: expect.stringMatching(/^numpy .*partial hashing/),
    });
    const partial = result.warnings.filter((w) => w.message.includes("partial hashing"));
    expect(partial).toHaveLength(21 - 2);
  });
});

describe("requirements line grammar", () => {
  it("keeps a # without whitespace before it, strips real comments", () => {
    const result = one(
      "pkg @ https://example.com/pkg-1.0.tar.gz#sha256=abcd # pinned by hand\n# a comment line\n  # indented comment\nsix==1.16.0#not-a-comment\n",
    );
    expect(result.dependencies[0]?.url).toBe("https://example.com/pkg-1.0.tar.gz#sha256=abcd");
    expect(result.errors).toEqual([expect.objectContaining({ line: 4 })]);
  });

  it("joins continuations before stripping comments and reports the first physical line", () => {
    const result = one("\n\nrequests\\\n>=2.31 \\\n  ; python_version >= '3.8'\n");
    expect(result.dependencies).toEqual([
      expect.objectContaining({ name: "requests", spec: ">=2.31", markerResult: "true", line: 3 }),
    ]);
  });

  it("a comment line ends a continuation, and a trailing backslash at end of file is harmless", () => {
    const result = one("numpy==1.0 \\\n# comment\npandas==2.0 \\");
    expect(result.dependencies.map((d) => d.name)).toEqual(["numpy", "pandas"]);
  });

  it("recovers from bad lines and reports each at its own line", () => {
    const result = one("numpy==1.26.4\nthis is not valid\nscipy>=\n<2.0\npandas[oops==2\nrequests==2.31.0\n");
    expect(result.dependencies.map((d) => d.name)).toEqual(["numpy", "requests"]);
    expect(result.errors.map((e) => e.line)).toEqual([2, 3, 4, 5]);
  });

  it("leaves ${VAR} unexpanded and warns", () => {
    const result = one("private-lib @ https://${TOKEN}@git.example.com/private_lib-1.0-py3-none-any.whl\n");
    expect(result.dependencies[0]?.url).toContain("${TOKEN}");
    expect(result.warnings).toContainEqual({ line: 1, message: expect.stringContaining("${TOKEN}") });
  });

  it("an editable option without a location is an error", () => {
    expect(one('-e " "\nok==1\n').errors).toEqual([expect.objectContaining({ line: 1 })]);
  });

  it("classifies VCS, bare URL, local path and editable requirements", () => {
    const result = one(
      [
        "git+https://github.com/huggingface/peft.git@v0.7.1#egg=peft",
        "mylib @ git+ssh://git@github.com/org/mylib.git@main",
        "https://download.example.com/wheels/onnx-1.15.0-cp311-cp311-manylinux_2_17_x86_64.whl",
        "./vendor/fastText-0.9.2.tar.gz",
        "-e ./packages/feature_tools",
        "--editable=git+https://github.com/org/tooling.git#egg=tooling",
      ].join("\n"),
    );
    expect(result.dependencies.map((d) => [d.name, d.kind])).toEqual([
      ["peft", "vcs"],
      ["mylib", "vcs"],
      ["onnx", "url"],
      ["fastText", "url"],
      ["feature_tools", "editable"],
      ["tooling", "editable"],
    ]);
    expect(result.dependencies[3]?.normalizedName).toBe("fasttext");
  });

  it("warns about index, find-links and trusted-host options, and unknown options", () => {
    const result = one(
      "-i https://mirror.example.com/simple\n--find-links ./wheels\n--trusted-host mirror.example.com\n--no-index\n--frobnicate\n",
    );
    expect(result.warnings.map((w) => w.line)).toEqual([1, 2, 3, 5]);
    expect(result.warnings[3]?.message).toContain("--frobnicate");
    expect(result.dependencies).toEqual([]);
  });

  it("rejects malformed hashes but keeps the requirement", () => {
    const result = one("numpy==1.26.4 --hash=sha256:zz --hash=sha256:0a1b\n");
    expect(result.errors).toEqual([expect.objectContaining({ line: 1, message: expect.stringContaining("--hash") })]);
    expect(result.dependencies[0]?.hashes).toEqual(["sha256:0a1b"]);
  });

  it("in --require-hashes mode, unhashed and unpinned requirements are flagged", () => {
    const result = one("--require-hashes\nnumpy==1.0\nscipy>=1 --hash=sha256:ab\n");
    expect(result.warnings.map((w) => [w.line, /partial hashing/.test(w.message) ? "unhashed" : "unpinned"])).toEqual([
      [2, "unhashed"],
      [3, "unpinned"],
    ]);
  });
});

describe("includes", () => {
  it("resolves -r, --requirement= and relative paths among the uploaded files only", () => {
    const result = parse(
      { name: "reqs/main.txt", content: "-r common.txt\n--requirement=../extra/gpu.txt\nflask==3.0.0\n" },
      { name: "reqs/common.txt", content: "numpy==1.26.4\n" },
      { name: "extra/gpu.txt", content: "cupy-cuda11x==12.3.0\n" },
    );
    expect(result.errors).toEqual([]);
    expect(result.dependencies.map((d) => [d.name, d.line])).toEqual([
      ["numpy", 1],
      ["cupy-cuda11x", 1],
      ["flask", 3],
    ]);
  });

  it("reports a missing include on its line and keeps parsing", () => {
    const result = one("numpy==1.0\n-r not-uploaded.txt\n-r https://example.com/remote.txt\npandas==2.0\n");
    expect(result.errors.map((e) => e.line)).toEqual([2, 3]);
    expect(result.dependencies.map((d) => d.name)).toEqual(["numpy", "pandas"]);
  });

  it("stops include cycles and reports them", () => {
    const result = parse(
      { name: "a.txt", content: "-r b.txt\nalpha==1.0\n" },
      { name: "b.txt", content: "-r a.txt\n-r b.txt\nbeta==1.0\n" },
    );
    expect(result.dependencies.map((d) => d.name)).toEqual(["beta", "alpha"]);
    const cycles = result.warnings.filter((w) => w.message.includes("cycle"));
    expect(cycles).toHaveLength(2);
    expect(cycles.every((w) => w.file === "b.txt")).toBe(true);
  });

  it("constraint entries are noted but are not dependencies", () => {
    const result = parse(
      { name: "requirements.txt", content: "-c constraints.txt\ntransformers>=4.30\n" },
      { name: "constraints.txt", content: "transformers==4.36.2\ntokenizers==0.15.0\n" },
    );
    expect(result.dependencies.map((d) => d.name)).toEqual(["transformers"]);
    expect(result.warnings).toContainEqual(
      expect.objectContaining({
        file: "constraints.txt",
        message: expect.stringContaining("transformers, tokenizers"),
      }),
    );
  });

  it("an error inside an included file names that file", () => {
    const result = parse(
      { name: "requirements.txt", content: "-r base.txt\n" },
      { name: "base.txt", content: "ok==1\n%%%\n" },
    );
    expect(result.errors).toEqual([expect.objectContaining({ line: 2, file: "base.txt" })]);
  });
});

describe("requirementIncludes", () => {
  it("names each local -r/-c include as the parser will look it up, relative to the including file", () => {
    const content = "numpy==1.26.4\n-r base.txt\n--constraint=../c.txt\n-r https://example.com/r.txt\n# -r no.txt\n";
    expect(requirementIncludes({ name: "sub/req.txt", content })).toEqual([
      { reference: "base.txt", name: "sub/base.txt" },
      { reference: "../c.txt", name: "c.txt" },
    ]);
  });
});
