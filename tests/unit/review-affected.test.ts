import { describe, expect, it } from "vitest";
import { fixedVersions, isSpecAffected, isVersionAffected, type OsvRecord } from "../../lib/dependencies/review";
import { loadOsvFixture } from "../fixtures/osv/load";

type Events = NonNullable<OsvRecord["affected"][number]["ranges"]>[number]["events"];

const record = (
  ecosystem: string,
  name: string,
  type: "SEMVER" | "ECOSYSTEM" | "GIT",
  events: Events,
  versions?: string[],
): OsvRecord => ({
  id: "TEST-1",
  modified: "2024-01-01T00:00:00Z",
  affected: [{ package: { ecosystem, name }, ranges: [{ type, events }], ...(versions ? { versions } : {}) }],
});

describe("isVersionAffected: worked cases", () => {
  it("case 16: PyPI {introduced 2.8.0, fixed 2.10.0}: 2.7.9 no, 2.8.0 yes, 2.10.0 no", () => {
    const r = record("PyPI", "jinja2", "ECOSYSTEM", [{ introduced: "2.8.0" }, { fixed: "2.10.0" }]);
    expect(isVersionAffected(r, "PyPI", "2.7.9")).toBe("not_affected");
    expect(isVersionAffected(r, "PyPI", "2.8.0")).toBe("affected");
    expect(isVersionAffected(r, "PyPI", "2.9.6")).toBe("affected");
    expect(isVersionAffected(r, "PyPI", "2.10.0")).toBe("not_affected");
    // PEP 440 ordering, not string ordering: 2.10 > 2.9, and 2.10 == 2.10.0
    expect(isVersionAffected(r, "PyPI", "2.10")).toBe("not_affected");
    expect(isVersionAffected(r, "PyPI", "2.10.0rc1")).toBe("affected");
  });

  it("case 7: torch 2.1.0+cu118 is inside {introduced 2.0.0, fixed 2.1.1}; a local version does not escape a fix", () => {
    const torch = loadOsvFixture("GHSA-9wx4-h78v-vm56");
    expect(isVersionAffected(torch, "PyPI", "2.1.0+cu118", "torch")).toBe("affected");
    expect(isVersionAffected(torch, "PyPI", "2.1.1+cu118", "torch")).toBe("not_affected");
    expect(isVersionAffected(torch, "PyPI", "1.13.1+cpu", "torch")).toBe("not_affected");
  });

  it("matches the package by PEP 503 name on both sides", () => {
    const jinja = loadOsvFixture("GHSA-462w-v97r-4m45"); // stored as "Jinja2"
    expect(isVersionAffected(jinja, "PyPI", "2.9.0", "jinja2")).toBe("affected");
    expect(isVersionAffected(jinja, "PyPI", "2.9.0", "Jinja2")).toBe("affected");
    const zope = record("PyPI", "zope.interface", "ECOSYSTEM", [{ introduced: "0" }, { fixed: "5.0" }]);
    expect(isVersionAffected(zope, "PyPI", "4.0", "Zope_Interface")).toBe("affected");
    expect(isVersionAffected(jinja, "PyPI", "2.9.0", "markupsafe")).toBe("not_affected");
  });
});

describe("isVersionAffected: event kinds", () => {
  it("last_affected includes its own version and nothing after", () => {
    const pillow = loadOsvFixture("GHSA-5c3x-8q2w-pqc7");
    expect(isVersionAffected(pillow, "PyPI", "7.9.9", "pillow")).toBe("not_affected");
    expect(isVersionAffected(pillow, "PyPI", "9.0.0", "pillow")).toBe("affected");
    expect(isVersionAffected(pillow, "PyPI", "9.0.1", "pillow")).toBe("not_affected");
  });

  it("limit cuts the range; '*' means no limit", () => {
    const tf = loadOsvFixture("GHSA-8fr4-5q9j-m8gm");
    expect(isVersionAffected(tf, "PyPI", "2.4.9", "tensorflow")).toBe("affected");
    expect(isVersionAffected(tf, "PyPI", "2.5.0", "tensorflow")).toBe("not_affected");
    const open = record("PyPI", "x", "ECOSYSTEM", [{ introduced: "1.0" }, { limit: "*" }]);
    expect(isVersionAffected(open, "PyPI", "99.0")).toBe("affected");
  });

  it("a range mixing fixed and last_affected is undetermined, not guessed", () => {
    const mixed = record("PyPI", "x", "ECOSYSTEM", [{ introduced: "1.0" }, { fixed: "2.0" }, { last_affected: "3.0" }]);
    expect(isVersionAffected(mixed, "PyPI", "1.5")).toBe("undetermined");
  });

  it("several introduced/fixed pairs in one range", () => {
    const r = record("PyPI", "x", "ECOSYSTEM", [
      { introduced: "1.0" },
      { fixed: "1.2" },
      { introduced: "2.0" },
      { fixed: "2.3" },
    ]);
    expect(["0.9", "1.1", "1.5", "2.1", "2.3"].map((v) => isVersionAffected(r, "PyPI", v))).toEqual([
      "not_affected",
      "affected",
      "not_affected",
      "affected",
      "not_affected",
    ]);
  });
});

describe("isVersionAffected: what cannot be evaluated is undetermined", () => {
  it("an unparseable version", () => {
    const r = record("PyPI", "x", "ECOSYSTEM", [{ introduced: "0" }, { fixed: "2.0" }]);
    expect(isVersionAffected(r, "PyPI", "not a version")).toBe("undetermined");
    expect(
      isVersionAffected(record("npm", "x", "SEMVER", [{ introduced: "0" }, { fixed: "2.0.0" }]), "npm", "1.x"),
    ).toBe("undetermined");
  });

  it("an unparseable event version", () => {
    const r = record("PyPI", "x", "ECOSYSTEM", [{ introduced: "1.0" }, { fixed: "next-release" }]);
    expect(isVersionAffected(r, "PyPI", "1.5")).toBe("undetermined");
  });

  it("another ecosystem with an empty versions list, never not_affected", () => {
    const maven = record("Maven", "org.example:lib", "ECOSYSTEM", [{ introduced: "0" }, { fixed: "2.0" }], []);
    expect(isVersionAffected(maven, "Maven", "1.0")).toBe("undetermined");
    const listed = record("Maven", "org.example:lib", "ECOSYSTEM", [{ introduced: "0" }, { fixed: "2.0" }], ["1.0"]);
    expect(isVersionAffected(listed, "Maven", "1.0")).toBe("affected");
    expect(isVersionAffected(listed, "Maven", "3.0")).toBe("not_affected");
  });

  it("GIT ranges are ignored: with no versions list the answer is undetermined", () => {
    const git = loadOsvFixture("OSV-2023-1104");
    expect(isVersionAffected(git, "PyPI", "0.15.0", "tokenizers")).toBe("undetermined");
    const withList = record("PyPI", "tokenizers", "GIT", [{ introduced: "abc" }], ["0.15.0"]);
    expect(isVersionAffected(withList, "PyPI", "0.15.0")).toBe("affected");
    expect(isVersionAffected(withList, "PyPI", "0.16.0")).toBe("not_affected");
  });

  it("a record for another package or ecosystem says not_affected", () => {
    const lodash = loadOsvFixture("GHSA-35jh-r3h4-6jhm");
    expect(isVersionAffected(lodash, "PyPI", "1.0.0", "lodash")).toBe("not_affected");
  });
});

describe("isVersionAffected: SEMVER and npm", () => {
  it("SEMVER introduced '0' is below every version, and build metadata is ignored", () => {
    const lodash = loadOsvFixture("GHSA-35jh-r3h4-6jhm");
    expect(isVersionAffected(lodash, "npm", "0.0.1", "lodash")).toBe("affected");
    expect(isVersionAffected(lodash, "npm", "4.17.20", "lodash")).toBe("affected");
    expect(isVersionAffected(lodash, "npm", "4.17.21+build.7", "lodash")).toBe("not_affected");
    expect(isVersionAffected(lodash, "npm", "v4.17.20", "lodash")).toBe("affected");
    expect(isVersionAffected(lodash, "npm", "4.17.21", "lodash")).toBe("not_affected");
  });

  it("npm ECOSYSTEM ranges order as semver (not as strings)", () => {
    const r = record("npm", "x", "ECOSYSTEM", [{ introduced: "1.2.0" }, { fixed: "1.10.0" }]);
    expect(isVersionAffected(r, "npm", "1.9.0")).toBe("affected");
    expect(isVersionAffected(r, "npm", "1.10.1")).toBe("not_affected");
  });

  it("a MAL- record with only versions", () => {
    const mal = loadOsvFixture("MAL-2024-4312");
    expect(isVersionAffected(mal, "PyPI", "2.31.1", "reqeusts")).toBe("affected");
    expect(isVersionAffected(mal, "PyPI", "2.32.0", "reqeusts")).toBe("not_affected");
  });
});

describe("isSpecAffected: unpinned ranges", () => {
  const r = record("PyPI", "jinja2", "ECOSYSTEM", [{ introduced: "2.8.0" }, { fixed: "2.10.0" }]);

  it("flags a spec when some affected version satisfies it", () => {
    expect(isSpecAffected(r, "PyPI", ">=2.0")).toBe("affected");
    expect(isSpecAffected(r, "PyPI", ">=2.10")).toBe("not_affected");
    expect(isSpecAffected(r, "PyPI", "<2.8")).toBe("not_affected");
    expect(isSpecAffected(r, "PyPI", ">2.8.0,<2.9")).toBe("affected");
    expect(isSpecAffected(r, "PyPI", "~=2.9")).toBe("affected");
    expect(isSpecAffected(r, "PyPI", "==2.7.*")).toBe("not_affected");
    expect(isSpecAffected(r, "PyPI", null)).toBe("affected");
  });

  it("an unparseable spec is undetermined", () => {
    expect(isSpecAffected(r, "PyPI", "~=1")).toBe("undetermined");
    expect(isSpecAffected(r, "PyPI", "latest")).toBe("undetermined");
  });

  it("a pre-release introduced point still finds the final release after it", () => {
    const pre = record("PyPI", "x", "ECOSYSTEM", [{ introduced: "3.0.0rc1" }, { fixed: "3.0.5" }]);
    expect(isSpecAffected(pre, "PyPI", ">=3")).toBe("affected");
  });

  it("npm ranges", () => {
    const lodash = loadOsvFixture("GHSA-35jh-r3h4-6jhm");
    expect(isSpecAffected(lodash, "npm", "^4.17.0", "lodash")).toBe("affected");
    expect(isSpecAffected(lodash, "npm", "^4.17.21", "lodash")).toBe("not_affected");
    expect(isSpecAffected(lodash, "npm", ">4.17.20", "lodash")).toBe("not_affected");
    expect(isSpecAffected(lodash, "npm", "not-a-range!", "lodash")).toBe("undetermined");
  });
});

describe("fixedVersions", () => {
  it("lists the fixes for the package, lowest first, ignoring GIT commits", () => {
    const r: OsvRecord = {
      id: "TEST-2",
      modified: "2024-01-01T00:00:00Z",
      affected: [
        {
          package: { ecosystem: "PyPI", name: "x" },
          ranges: [
            {
              type: "ECOSYSTEM",
              events: [{ introduced: "2.0" }, { fixed: "2.10.1" }, { introduced: "1.0" }, { fixed: "1.9" }],
            },
            { type: "GIT", events: [{ introduced: "0" }, { fixed: "deadbeef" }] },
          ],
        },
        {
          package: { ecosystem: "PyPI", name: "other" },
          ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "5.0" }] }],
        },
      ],
    };
    expect(fixedVersions(r, "PyPI", "x")).toEqual(["1.9", "2.10.1"]);
  });
});
