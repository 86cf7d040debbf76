import { describe, expect, it } from "vitest";
import {
  allDependenciesCovered,
  buildAdvisoryIndex,
  coveringEntries,
  findVulnerabilities,
  findingsByDependency,
  ignoredFindings,
  licenceOverride,
  specWithin,
  unusedEntries,
  type AllowlistEntry,
  type ReviewedDependency,
} from "../../lib/dependencies/review";
import { loadAllOsvFixtures } from "../fixtures/osv/load";

const now = new Date("2025-06-01T00:00:00Z");
const ctx = { teamId: "fraud", now };
const day = 24 * 60 * 60 * 1000;

const dep = (over: Partial<ReviewedDependency>): ReviewedDependency => ({
  ecosystem: "PyPI",
  normalizedName: "numpy",
  name: "numpy",
  spec: "==2.1.0",
  pinnedVersion: "2.1.0",
  kind: "pinned",
  licence: "BSD-3-Clause",
  hasInstallScript: false,
  url: null,
  ...over,
});

const approve = (over: Partial<AllowlistEntry> = {}): AllowlistEntry =>
  ({
    id: "e-approve",
    ecosystem: "PyPI",
    normalizedName: "numpy",
    versionRange: ">=2.0,<3",
    scope: "org",
    action: "approve",
    reason: "numpy 2.x reviewed by security",
    expiresAt: null,
    ...over,
  }) as AllowlistEntry;

const ids = (entries: AllowlistEntry[]) => entries.map((e) => e.id);

describe("coveringEntries", () => {
  it("matches ecosystem, normalised name and version range", () => {
    expect(ids(coveringEntries(dep({}), [approve()], ctx))).toEqual(["e-approve"]);
    expect(coveringEntries(dep({ pinnedVersion: "3.0.0" }), [approve()], ctx)).toEqual([]);
    expect(coveringEntries(dep({ ecosystem: "npm" }), [approve()], ctx)).toEqual([]);
    expect(coveringEntries(dep({ normalizedName: "numpy-stl" }), [approve()], ctx)).toEqual([]);
    expect(
      ids(
        coveringEntries(
          dep({ normalizedName: "zope-interface" }),
          [approve({ normalizedName: "Zope.Interface" })],
          ctx,
        ),
      ),
    ).toEqual(["e-approve"]);
    expect(ids(coveringEntries(dep({ pinnedVersion: "2.5.0rc1" }), [approve()], ctx))).toEqual(["e-approve"]);
  });

  it("is active only before expiry and until revoked", () => {
    expect(coveringEntries(dep({}), [approve({ expiresAt: new Date(now.getTime() - day) })], ctx)).toEqual([]);
    expect(coveringEntries(dep({}), [approve({ expiresAt: now })], ctx)).toEqual([]);
    expect(ids(coveringEntries(dep({}), [approve({ expiresAt: new Date(now.getTime() + day) })], ctx))).toEqual([
      "e-approve",
    ]);
    expect(coveringEntries(dep({}), [approve({ revokedAt: new Date(now.getTime() - day) })], ctx)).toEqual([]);
    expect(coveringEntries(dep({}), [approve({ reason: "  " })], ctx)).toEqual([]);
  });

  it("applies team entries only to that team's reviews", () => {
    const teamEntry = approve({ scope: { teamId: "fraud" } });
    expect(ids(coveringEntries(dep({}), [teamEntry], ctx))).toEqual(["e-approve"]);
    expect(coveringEntries(dep({}), [teamEntry], { teamId: "search", now })).toEqual([]);
    expect(coveringEntries(dep({}), [teamEntry], { teamId: null, now })).toEqual([]);
  });

  it("covers an unpinned spec only when it lies entirely inside the range", () => {
    const unpinned = (spec: string | null) => dep({ pinnedVersion: null, kind: "range", spec });
    expect(ids(coveringEntries(unpinned(">=2.1,<2.5"), [approve()], ctx))).toEqual(["e-approve"]);
    expect(ids(coveringEntries(unpinned("~=2.2"), [approve()], ctx))).toEqual(["e-approve"]);
    expect(ids(coveringEntries(unpinned("==2.4.*"), [approve()], ctx))).toEqual(["e-approve"]);
    expect(coveringEntries(unpinned(">=2.0"), [approve()], ctx)).toEqual([]);
    expect(coveringEntries(unpinned(">=1.9,<2.5"), [approve()], ctx)).toEqual([]);
    expect(coveringEntries(unpinned("<=3"), [approve()], ctx)).toEqual([]);
    expect(coveringEntries(unpinned(null), [approve()], ctx)).toEqual([]);
    expect(ids(coveringEntries(unpinned(null), [approve({ versionRange: "*" })], ctx))).toEqual(["e-approve"]);
    // When the entry's range has exclusions we cannot tell, so the answer is "not covered".
    expect(coveringEntries(unpinned(">=2.1,<2.5"), [approve({ versionRange: ">=2.0,<3,!=2.3.0" })], ctx)).toEqual([]);
  });

  it("uses semver ranges for npm and covers URL dependencies only with '*'", () => {
    const npmEntry = approve({ ecosystem: "npm", normalizedName: "lodash", versionRange: "^4.17.21" });
    const lodash = dep({
      ecosystem: "npm",
      normalizedName: "lodash",
      pinnedVersion: null,
      kind: "range",
      spec: "~4.17.21",
    });
    expect(ids(coveringEntries(lodash, [npmEntry], ctx))).toEqual(["e-approve"]);
    expect(coveringEntries({ ...lodash, spec: "^4.0.0" }, [npmEntry], ctx)).toEqual([]);
    const url = dep({ kind: "url", pinnedVersion: null, spec: null, url: "https://example.test/numpy.whl" });
    expect(coveringEntries(url, [approve()], ctx)).toEqual([]);
    expect(ids(coveringEntries(url, [approve({ versionRange: "*" })], ctx))).toEqual(["e-approve"]);
  });
});

describe("specWithin", () => {
  it("compares PEP 440 intervals with inclusive and exclusive ends", () => {
    expect(specWithin("PyPI", ">=2.0,<3", ">=2.0,<3")).toBe(true);
    expect(specWithin("PyPI", ">2.0,<3", ">=2.0,<3")).toBe(true);
    expect(specWithin("PyPI", ">=2.0,<=3", ">=2.0,<3")).toBe(false);
    expect(specWithin("PyPI", "==2.1.0", ">=2.0,<3")).toBe(true);
    expect(specWithin("PyPI", "~=1", ">=1")).toBe(false); // invalid spec: cannot tell
  });
});

const index = buildAdvisoryIndex(loadAllOsvFixtures());
const jinja = dep({
  normalizedName: "jinja2",
  name: "Jinja2",
  pinnedVersion: "2.9.6",
  spec: "==2.9.6",
  licence: "BSD-3-Clause",
});
const approveJinja = approve({ id: "e-jinja", normalizedName: "jinja2", versionRange: ">=2.9,<2.10" });
const ignoreCve = (over: Partial<AllowlistEntry> = {}): AllowlistEntry =>
  ({
    ...approveJinja,
    id: "e-ignore",
    action: "ignore_vulnerability",
    vulnerabilityIds: ["cve-2019-10906"],
    ...over,
  }) as AllowlistEntry;

describe("ignoredFindings", () => {
  it("an ignored id covers its aliases (CVE ignores the GHSA/PYSEC group)", () => {
    const findings = findVulnerabilities([jinja], index);
    const { ignored, open } = ignoredFindings(findings, [ignoreCve()], ctx);
    expect(open).toEqual([]);
    expect(ignored.map((i) => [i.finding.primaryId, i.entryIds])).toEqual([["GHSA-462w-v97r-4m45", ["e-ignore"]]]);
  });

  it("does not ignore when the entry is for another version, expired, or names another id", () => {
    const findings = findVulnerabilities([jinja], index);
    expect(ignoredFindings(findings, [ignoreCve({ versionRange: ">=3" })], ctx).open).toHaveLength(1);
    expect(ignoredFindings(findings, [ignoreCve({ expiresAt: new Date(now.getTime() - 1) })], ctx).open).toHaveLength(
      1,
    );
    expect(
      ignoredFindings(findings, [ignoreCve({ vulnerabilityIds: ["CVE-2020-0001"] } as Partial<AllowlistEntry>)], ctx)
        .open,
    ).toHaveLength(1);
  });
});

describe("allDependenciesCovered", () => {
  const numpy = dep({});
  const deps = [numpy, jinja];
  const findings = findingsByDependency(findVulnerabilities(deps, index));

  it("passes when every dependency is approved and every finding is ignored", () => {
    const entries = [approve(), approveJinja, ignoreCve(), approve({ id: "e-unused", normalizedName: "pandas" })];
    const result = allDependenciesCovered(deps, findings, entries, ctx);
    expect(result).toMatchObject({ covered: true, uncovered: [], usedEntryIds: ["e-approve", "e-ignore", "e-jinja"] });
    expect(ids(unusedEntries(entries, result.usedEntryIds))).toEqual(["e-unused"]);
  });

  it("fails on an open finding even when the dependency is approved", () => {
    const result = allDependenciesCovered(deps, findings, [approve(), approveJinja], ctx);
    expect(result.covered).toBe(false);
    expect(result.uncovered.map((u) => [u.dep.normalizedName, u.reasons])).toEqual([["jinja2", ["open_findings"]]]);
    expect(result.uncovered[0]!.why).toContain("GHSA-462w-v97r-4m45");
  });

  it("fails on a dependency with no approval, and on an empty list", () => {
    const result = allDependenciesCovered(deps, findings, [approveJinja, ignoreCve()], ctx);
    expect(result.uncovered.map((u) => [u.dep.normalizedName, u.reasons])).toEqual([["numpy", ["not_approved"]]]);
    expect(allDependenciesCovered([], new Map(), [approve()], ctx).covered).toBe(false);
  });
});

describe("licenceOverride", () => {
  it("returns an active override covering the dependency", () => {
    const override = approve({ id: "e-licence", action: "licence_override" });
    expect(licenceOverride(dep({}), [approve(), override], ctx)?.id).toBe("e-licence");
    expect(licenceOverride(dep({}), [override], { teamId: "fraud", now: new Date("2100-01-01") })?.id).toBe(
      "e-licence",
    );
    expect(licenceOverride(dep({ pinnedVersion: "1.0" }), [override], ctx)).toBeNull();
  });
});
