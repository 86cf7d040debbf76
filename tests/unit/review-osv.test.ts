import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  isSpecAffected,
  isVersionAffected,
  osvPackageKey,
  parseOsvRecord,
  severityOf,
  type OsvRecord,
} from "../../lib/dependencies/review";
import { loadAllOsvFixtures } from "../fixtures/osv/load";

const minimal = { id: "GHSA-aaaa-bbbb-cccc", modified: "2024-01-01T00:00:00Z" };

describe("parseOsvRecord", () => {
  it("accepts every fixture and keeps the fields the review reads", () => {
    const records = loadAllOsvFixtures();
    expect(records).toHaveLength(9);
    const jinja = records.find((r) => r.id === "PYSEC-2019-217")!;
    expect(jinja.aliases).toEqual(["CVE-2019-10906", "GHSA-462w-v97r-4m45"]);
    expect(jinja.affected[0]!.ranges![0]!.events).toEqual([{ introduced: "2.8.0" }, { fixed: "2.10.0" }]);
    expect(records.find((r) => r.id === "PYSEC-2021-59")!.withdrawn).toBe("2022-11-01T00:00:00Z");
  });

  it("treats a missing affected list as empty", () => {
    const parsed = parseOsvRecord(minimal);
    expect(parsed).toEqual({ ok: true, record: { ...minimal, affected: [] } });
  });

  it("reports problems with their path instead of throwing", () => {
    const noId = parseOsvRecord({ modified: "x", affected: [] });
    expect(noId.ok).toBe(false);
    if (!noId.ok) expect(noId.problems.some((p) => p.startsWith("id:"))).toBe(true);

    const twoKeys = parseOsvRecord({
      ...minimal,
      affected: [
        {
          package: { ecosystem: "PyPI", name: "x" },
          ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0", fixed: "1.0" }] }],
        },
      ],
    });
    expect(twoKeys.ok).toBe(false);
    if (!twoKeys.ok)
      expect(twoKeys.problems.join("\n")).toMatch(/affected\.0\.ranges\.0\.events\.0: an event has exactly one/);

    const badType = parseOsvRecord({
      ...minimal,
      affected: [
        { package: { ecosystem: "PyPI", name: "x" }, ranges: [{ type: "DATE", events: [{ introduced: "0" }] }] },
      ],
    });
    expect(badType.ok).toBe(false);

    for (const junk of [null, 42, "GHSA", [], { id: 5 }]) expect(parseOsvRecord(junk).ok).toBe(false);
  });

  it("survives input whose getters throw", () => {
    const hostile = Object.defineProperty({ ...minimal }, "affected", {
      enumerable: true,
      get() {
        throw new Error("boom");
      },
    });
    const parsed = parseOsvRecord(hostile);
    expect(parsed.ok).toBe(false);
  });
});

describe("osvPackageKey", () => {
  it("normalises PyPI names the PEP 503 way and npm names to lower case", () => {
    expect(osvPackageKey("PyPI", "Friendly_Bard")).toBe(osvPackageKey("PyPI", "FrIeNdLy-._.-bArD"));
    expect(osvPackageKey("PyPI", "zope.interface")).toBe(osvPackageKey("PyPI", "zope-interface"));
    expect(osvPackageKey("npm", "JSONStream")).toBe(osvPackageKey("npm", "jsonstream"));
    expect(osvPackageKey("npm", "a_b")).not.toBe(osvPackageKey("npm", "a-b"));
    expect(osvPackageKey("PyPI", "numpy")).not.toBe(osvPackageKey("npm", "numpy"));
  });
});

// Random records straight into the evaluators (bypassing the schema, as a caller with its own data
// might): whatever they hold, the answer is one of the three verdicts and nothing throws.
const versionish = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    "0",
    "*",
    "1.0",
    "2.10.0rc1",
    "1.0.0+local",
    "v1.2.3",
    "1!2.0",
    "",
    "1.0.0-beta.1",
    "1.0.post1.dev2",
    "x.y",
  ),
  fc.tuple(fc.nat(12), fc.nat(12), fc.nat(12)).map(([a, b, c]) => `${a}.${b}.${c}`),
);
const event = fc.oneof(
  fc.record({ introduced: versionish }),
  fc.record({ fixed: versionish }),
  fc.record({ last_affected: versionish }),
  fc.record({ limit: versionish }),
);
const range = fc.record({
  type: fc.constantFrom("SEMVER" as const, "ECOSYSTEM" as const, "GIT" as const),
  events: fc.array(event, { maxLength: 6 }),
});
const affectedEntry = fc.record({
  package: fc.record({ ecosystem: fc.constantFrom("PyPI", "npm", "Maven"), name: fc.constantFrom("x", "X_y") }),
  ranges: fc.array(range, { maxLength: 3 }),
  versions: fc.array(versionish, { maxLength: 4 }),
});
const randomRecord: fc.Arbitrary<OsvRecord> = fc.record({
  id: fc.constantFrom("GHSA-1", "MAL-1", "PYSEC-1"),
  modified: fc.constant("2024-01-01T00:00:00Z"),
  affected: fc.array(affectedEntry, { maxLength: 3 }),
  severity: fc.array(
    fc.record({
      type: fc.constantFrom("CVSS_V2", "CVSS_V3", "CVSS_V4", "Ubuntu"),
      score: fc.oneof(
        fc.string(),
        fc.constantFrom("CVSS:3.1/AV:N", "CVSS:4.0/AV:N/AC:L", "AV:N/AC:L/Au:N/C:P/I:P/A:P"),
      ),
    }),
    { maxLength: 2 },
  ),
});

describe("never throws (property)", () => {
  it("parseOsvRecord on arbitrary values", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const parsed = parseOsvRecord(value);
        expect(typeof parsed.ok).toBe("boolean");
      }),
      { numRuns: 500 },
    );
  });

  it("parseOsvRecord on near-valid records", () => {
    fc.assert(
      fc.property(randomRecord, (value) => {
        const parsed = parseOsvRecord(JSON.parse(JSON.stringify(value)));
        if (!parsed.ok) expect(parsed.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it("isVersionAffected, isSpecAffected and severityOf on random records and versions", () => {
    const verdicts = ["affected", "not_affected", "undetermined"];
    fc.assert(
      fc.property(
        randomRecord,
        fc.constantFrom("PyPI", "npm", "Maven"),
        versionish,
        fc.option(versionish),
        (r, ecosystem, version, spec) => {
          expect(verdicts).toContain(isVersionAffected(r, ecosystem, version));
          expect(verdicts).toContain(isVersionAffected(r, ecosystem, version, "x"));
          expect(verdicts).toContain(isSpecAffected(r, ecosystem, spec === null ? null : `>=${spec}`, "x_y"));
          expect(verdicts).toContain(isSpecAffected(r, ecosystem, spec));
          expect(severityOf(r).level).toBeTypeOf("string");
        },
      ),
      { numRuns: 500 },
    );
  });
});
