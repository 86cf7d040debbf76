import { describe, expect, it } from "vitest";
import {
  buildAdvisoryIndex,
  findVulnerabilities,
  isPopularName,
  supplyChainSignals,
  typosquatSuspect,
  type ReviewedDependency,
} from "../../lib/dependencies/review";
import { loadOsvFixture } from "../fixtures/osv/load";

describe("typosquatSuspect", () => {
  it("case 16: 0requests is one edit from requests, reqeusts one swap", () => {
    expect(typosquatSuspect("PyPI", "0requests")).toEqual({ resembles: "requests", reason: "distance_1" });
    expect(typosquatSuspect("PyPI", "reqeusts")).toEqual({ resembles: "requests", reason: "adjacent_swap" });
  });

  it("a popular name is never a suspect", () => {
    expect(typosquatSuspect("PyPI", "requests")).toBeNull();
    expect(typosquatSuspect("PyPI", "numpy")).toBeNull();
    expect(typosquatSuspect("npm", "react-dom")).toBeNull();
    expect(isPopularName("PyPI", "numpy")).toBe(true);
    expect(isPopularName("npm", "jsonstream")).toBe(true); // listed as JSONStream, compared lower-cased
  });

  it("finds hyphen permutations and py/python variants", () => {
    expect(typosquatSuspect("PyPI", "core-google-api")).toEqual({
      resembles: "google-api-core",
      reason: "hyphen_permutation",
    });
    expect(typosquatSuspect("npm", "dom-react")).toEqual({ resembles: "react-dom", reason: "hyphen_permutation" });
    expect(typosquatSuspect("PyPI", "python-requests")).toEqual({ resembles: "requests", reason: "python_variant" });
    expect(typosquatSuspect("PyPI", "requests-py")).toEqual({ resembles: "requests", reason: "python_variant" });
  });

  it("reports the most popular look-alike and handles scoped npm names", () => {
    expect(typosquatSuspect("npm", "lodahs")).toEqual({ resembles: "lodash", reason: "adjacent_swap" });
    expect(typosquatSuspect("npm", "@types/nodes")).toEqual({ resembles: "@types/node", reason: "distance_1" });
  });

  it("leaves unrelated names, very short names and other ecosystems alone", () => {
    expect(typosquatSuspect("PyPI", "my-internal-feature-store")).toBeNull();
    expect(typosquatSuspect("PyPI", "uz")).toBeNull(); // uv and av are popular, but two letters are too short to judge
    expect(typosquatSuspect("conda", "reqeusts")).toBeNull();
    expect(typosquatSuspect("npm", "python-requests")).toBeNull();
  });

  it("checks 1,000 names quickly", () => {
    const started = performance.now();
    for (let i = 0; i < 1000; i += 1) typosquatSuspect("PyPI", `internal-package-${i}`);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

const dep = (over: Partial<ReviewedDependency>): ReviewedDependency => ({
  ecosystem: "PyPI",
  normalizedName: "reqeusts",
  name: "reqeusts",
  spec: "==2.31.0",
  pinnedVersion: "2.31.0",
  kind: "pinned",
  licence: "MIT",
  hasInstallScript: false,
  url: null,
  ...over,
});

describe("supplyChainSignals", () => {
  it("collects malware, typosquat and install-script signals for one dependency", () => {
    const malicious = dep({ hasInstallScript: true });
    const findings = findVulnerabilities([malicious], buildAdvisoryIndex([loadOsvFixture("MAL-2024-4312")]));
    const signals = supplyChainSignals(malicious, findings, typosquatSuspect("PyPI", malicious.normalizedName));
    expect(signals.map((s) => s.kind)).toEqual(["install_script", "malware", "typosquat"]);
    expect(signals[1]!.detail).toContain("MAL-2024-4312");
    expect(signals[2]!.detail).toContain("requests");
  });

  it("flags URL and VCS dependencies, and ignores other dependencies' findings", () => {
    const url = dep({
      normalizedName: "mylib",
      kind: "url",
      pinnedVersion: null,
      url: "https://example.test/mylib-1.0.whl",
    });
    const vcs = dep({
      normalizedName: "mylib",
      kind: "vcs",
      pinnedVersion: null,
      url: "git+https://example.test/mylib.git",
    });
    const otherFindings = findVulnerabilities([dep({})], buildAdvisoryIndex([loadOsvFixture("MAL-2024-4312")]));
    expect(supplyChainSignals(url, otherFindings, null)).toEqual([
      { kind: "url_dependency", detail: "installed from https://example.test/mylib-1.0.whl" },
    ]);
    expect(supplyChainSignals(vcs, [], null).map((s) => s.kind)).toEqual(["vcs_dependency"]);
    expect(supplyChainSignals(dep({ normalizedName: "numpy" }), [], null)).toEqual([]);
  });
});
