import { describe, expect, it } from "vitest";
import {
  buildAdvisoryIndex,
  choosePrimaryId,
  findVulnerabilities,
  findingsByDependency,
  dependencyKey,
  type OsvRecord,
  type ReviewedDependency,
} from "../../lib/dependencies/review";
import { loadAllOsvFixtures } from "../fixtures/osv/load";

const dep = (over: Partial<ReviewedDependency> & Pick<ReviewedDependency, "normalizedName">): ReviewedDependency => ({
  ecosystem: "PyPI",
  name: over.normalizedName,
  spec: over.pinnedVersion ? `==${over.pinnedVersion}` : null,
  pinnedVersion: null,
  kind: over.pinnedVersion ? "pinned" : "range",
  licence: null,
  hasInstallScript: false,
  url: null,
  ...over,
});

const index = buildAdvisoryIndex(loadAllOsvFixtures());

describe("buildAdvisoryIndex", () => {
  it("skips withdrawn records and says how many", () => {
    expect(index.withdrawnSkipped).toBe(1);
    expect(index.recordCount).toBe(8);
    expect(findVulnerabilities([dep({ normalizedName: "requests", pinnedVersion: "2.0.0" })], index)).toEqual([]);
  });

  it("keeps the most recently modified copy of a duplicated id", () => {
    const old: OsvRecord = {
      id: "GHSA-dup",
      modified: "2020-01-01T00:00:00Z",
      affected: [
        { package: { ecosystem: "PyPI", name: "x" }, ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }] }] },
      ],
    };
    const newer: OsvRecord = { ...old, modified: "2024-01-01T00:00:00Z", withdrawn: "2024-01-01T00:00:00Z" };
    const idx = buildAdvisoryIndex([newer, old]);
    expect(idx.withdrawnSkipped).toBe(1);
    expect(findVulnerabilities([dep({ normalizedName: "x", pinnedVersion: "1.0" })], idx)).toEqual([]);
  });
});

describe("findVulnerabilities", () => {
  it("groups records that alias each other into one finding with every id", () => {
    const [finding, ...rest] = findVulnerabilities([dep({ normalizedName: "jinja2", pinnedVersion: "2.9.6" })], index);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      primaryId: "GHSA-462w-v97r-4m45",
      ids: ["CVE-2019-10906", "GHSA-462w-v97r-4m45", "PYSEC-2019-217"],
      recordIds: ["GHSA-462w-v97r-4m45", "PYSEC-2019-217"],
      status: "affected",
      fixedVersions: ["2.10.0"],
      malware: false,
      summary: "Jinja2 sandbox escape via string formatting",
    });
    // The group's severity is the highest of its records: PYSEC has none, GHSA's v3.1 vector is 8.6.
    expect(finding!.severity).toMatchObject({ level: "high", score: 8.6 });
  });

  it("groups through a shared alias even when neither record names the other", () => {
    const rec = (id: string, aliases: string[]): OsvRecord => ({
      id,
      aliases,
      modified: "2024-01-01T00:00:00Z",
      affected: [{ package: { ecosystem: "npm", name: "left-pad" }, versions: ["1.0.0"] }],
    });
    const idx = buildAdvisoryIndex([rec("GHSA-b", ["CVE-1"]), rec("OSV-a", ["CVE-1"]), rec("GHSA-c", ["CVE-2"])]);
    const found = findVulnerabilities(
      [dep({ ecosystem: "npm", normalizedName: "left-pad", pinnedVersion: "1.0.0" })],
      idx,
    );
    expect(found.map((f) => f.ids)).toEqual([
      ["CVE-1", "GHSA-b", "OSV-a"],
      ["CVE-2", "GHSA-c"],
    ]);
  });

  it("flags an unpinned range only when an affected version satisfies it", () => {
    const [found] = findVulnerabilities([dep({ normalizedName: "jinja2", spec: ">=2.0" })], index);
    expect(found?.status).toBe("range_affected");
    expect(findVulnerabilities([dep({ normalizedName: "jinja2", spec: ">=2.10" })], index)).toEqual([]);
    expect(findVulnerabilities([dep({ normalizedName: "jinja2", pinnedVersion: "2.10.0" })], index)).toEqual([]);
  });

  it("reports undetermined for a URL/VCS dependency of a package with advisories, nothing otherwise", () => {
    const url = dep({ normalizedName: "jinja2", kind: "url", url: "https://example.test/jinja2.whl" });
    expect(findVulnerabilities([url], index).map((f) => f.status)).toEqual(["undetermined"]);
    expect(findVulnerabilities([{ ...url, normalizedName: "flask" }], index)).toEqual([]);
  });

  it("reports undetermined for an unreadable pinned version and for GIT-only records", () => {
    expect(findVulnerabilities([dep({ normalizedName: "jinja2", pinnedVersion: "banana" })], index)[0]?.status).toBe(
      "undetermined",
    );
    expect(
      findVulnerabilities([dep({ normalizedName: "tokenizers", pinnedVersion: "0.15.0" })], index)[0]?.status,
    ).toBe("undetermined");
  });

  it("never matches conda dependencies", () => {
    expect(
      findVulnerabilities([dep({ ecosystem: "conda", normalizedName: "jinja2", pinnedVersion: "2.9.6" })], index),
    ).toEqual([]);
  });

  it("marks malware, matches npm, and keeps dependency order with the most severe first", () => {
    const deps = [
      dep({ normalizedName: "reqeusts", pinnedVersion: "2.31.0" }),
      dep({ ecosystem: "npm", normalizedName: "lodash", pinnedVersion: "4.17.20" }),
      dep({ normalizedName: "torch", pinnedVersion: "2.1.0+cu118" }),
    ];
    const found = findVulnerabilities(deps, index);
    expect(found.map((f) => [f.dependency.normalizedName, f.primaryId, f.malware, f.severity.level])).toEqual([
      ["reqeusts", "MAL-2024-4312", true, "critical"],
      ["lodash", "GHSA-35jh-r3h4-6jhm", false, "high"],
      ["torch", "GHSA-9wx4-h78v-vm56", false, "critical"],
    ]);
    const byDep = findingsByDependency(found);
    expect(byDep.get(dependencyKey(deps[1]!))?.map((f) => f.primaryId)).toEqual(["GHSA-35jh-r3h4-6jhm"]);
  });
});

describe("choosePrimaryId", () => {
  it("prefers GHSA, then PYSEC, then MAL, then the rest, ties by string order", () => {
    expect(choosePrimaryId(["PYSEC-2019-217", "GHSA-zzzz", "GHSA-aaaa"])).toBe("GHSA-aaaa");
    expect(choosePrimaryId(["OSV-2020-1", "PYSEC-2020-9", "MAL-2020-1"])).toBe("PYSEC-2020-9");
    expect(choosePrimaryId(["OSV-2020-2", "MAL-2020-1"])).toBe("MAL-2020-1");
    expect(choosePrimaryId(["OSV-2020-2", "OSV-2020-10"])).toBe("OSV-2020-10");
  });
});
