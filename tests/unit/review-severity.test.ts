import { describe, expect, it } from "vitest";
import {
  SEVERITY_ORDER,
  atLeast,
  cvssBaseScore,
  levelForScore,
  severityOf,
  type OsvRecord,
} from "../../lib/dependencies/review";
import { loadOsvFixture } from "../fixtures/osv/load";

const base = { id: "GHSA-test", modified: "2024-01-01T00:00:00Z", affected: [] };
const withSeverity = (severity: OsvRecord["severity"], extra: Partial<OsvRecord> = {}): OsvRecord => ({
  ...base,
  severity,
  ...extra,
});

describe("severityOf", () => {
  it("computes the base score of a CVSS v3.1 vector", () => {
    expect(severityOf(loadOsvFixture("GHSA-462w-v97r-4m45"))).toEqual({
      level: "high",
      score: 8.6,
      vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N",
      source: "severity",
    });
    expect(
      severityOf(withSeverity([{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }])),
    ).toMatchObject({ level: "critical", score: 9.8 });
  });

  it("prefers a CVSS v4 vector over v3.1 and over the database label", () => {
    // The fixture's v3.1 vector scores 4.2 (medium) and its label says MODERATE; the v4 vector scores 9.3.
    expect(severityOf(loadOsvFixture("GHSA-9wx4-h78v-vm56"))).toEqual({
      level: "critical",
      score: 9.3,
      vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
      source: "severity",
    });
  });

  it("prefers v3.1 over v3.0 and falls back to v2", () => {
    const both = withSeverity([
      { type: "CVSS_V3", score: "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N" },
      { type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H" },
    ]);
    expect(severityOf(both)).toMatchObject({ level: "high", score: 7.2 });
    expect(severityOf(withSeverity([{ type: "CVSS_V2", score: "AV:N/AC:L/Au:N/C:P/I:P/A:P" }]))).toMatchObject({
      level: "high",
      score: 7.5,
    });
  });

  it("skips an unreadable vector and uses the database label, then 'unknown'", () => {
    const broken = withSeverity([{ type: "CVSS_V3", score: "CVSS:3.1/AV:N" }], {
      database_specific: { severity: "MODERATE" },
    });
    expect(severityOf(broken)).toEqual({ level: "medium", score: null, vector: null, source: "database_specific" });
    expect(severityOf(withSeverity(undefined, { database_specific: { severity: "LOW" } })).level).toBe("low");
    expect(severityOf(withSeverity([{ type: "Ubuntu", score: "high" }])).level).toBe("unknown");
    expect(severityOf(withSeverity(undefined, { database_specific: { severity: 3 } })).level).toBe("unknown");
  });

  it("rates malware critical whatever else it says", () => {
    expect(severityOf(loadOsvFixture("MAL-2024-4312")).level).toBe("critical");
    expect(severityOf({ ...base, id: "MAL-2024-1", database_specific: { severity: "LOW" } }).level).toBe("critical");
  });
});

describe("severity bands", () => {
  it("maps scores to the CVSS qualitative bands", () => {
    expect([0, 0.1, 3.9, 4.0, 6.9, 7.0, 8.9, 9.0, 10].map(levelForScore)).toEqual([
      "none",
      "low",
      "low",
      "medium",
      "medium",
      "high",
      "high",
      "critical",
      "critical",
    ]);
  });

  it("orders levels and compares against thresholds; unknown does not reach low", () => {
    expect(SEVERITY_ORDER).toEqual(["none", "unknown", "low", "medium", "high", "critical"]);
    expect(atLeast("critical", "high")).toBe(true);
    expect(atLeast("high", "high")).toBe(true);
    expect(atLeast("medium", "high")).toBe(false);
    expect(atLeast("unknown", "low")).toBe(false);
    expect(atLeast("unknown", "none")).toBe(true);
  });

  it("cvssBaseScore rejects what is not a full base vector", () => {
    expect(cvssBaseScore("not a vector")).toBeNull();
    expect(cvssBaseScore("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")).toBeNull();
    expect(cvssBaseScore("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")?.score).toBe(9.3);
  });

  it("reads a CVSS vector its database put in database_specific, under any key, the newest version first", () => {
    const nested = withSeverity(undefined, {
      database_specific: {
        nvd: {
          cvss_v2: "AV:N/AC:L/Au:N/C:P/I:N/A:N",
          cvss_v3: { vectorString: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N" },
        },
        severity: "LOW",
      },
    });
    // The computed 7.5 wins over the database's own "LOW" label, as for the record's own vectors.
    expect(severityOf(nested)).toEqual({
      level: "high",
      score: 7.5,
      vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
      source: "database_specific",
    });
    expect(severityOf(withSeverity(undefined, { database_specific: { cvss: "CVSS:3.1/AV:N" } })).level).toBe("unknown");
  });

  it("takes an unrated record's rating from the first rated alias the store holds", () => {
    const pysec = { ...base, id: "PYSEC-2018-28", aliases: ["CVE-2018-18074", "GHSA-x84v-xcm2-53pg"] };
    const cve = withSeverity(undefined, { id: "CVE-2018-18074" }); // held, but unrated too
    const ghsa = withSeverity([{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N" }], {
      id: "GHSA-x84v-xcm2-53pg",
    });
    expect(severityOf({ ...pysec, aliasRecords: [cve, ghsa] })).toEqual({
      level: "medium",
      score: 5.3,
      vector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N",
      source: "alias GHSA-x84v-xcm2-53pg",
    });
    // None rated: unknown, counted as such; a record's own rating is never replaced by an alias's.
    expect(severityOf({ ...pysec, aliasRecords: [cve] })).toEqual({ level: "unknown", score: null, vector: null });
    const rated = withSeverity(undefined, { database_specific: { severity: "LOW" } });
    expect(severityOf({ ...rated, aliasRecords: [ghsa] })).toMatchObject({ level: "low", source: "database_specific" });
  });
});
