import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, inject, it } from "vitest";
import { runCli } from "../support/cli";
import { describeDb } from "../support/database";

const cli = runCli;

// `deps scan` is a CI gate: 0 clean, 1 findings at or above --fail-on, 2 whenever any input could not
// be read or understood. On PGlite the data folder starts empty, as on a fresh clone: the first
// command must migrate it itself rather than fail with "relation does not exist".
describeDb("npm run cli -- deps scan", (t) => {
  const embedded = inject("engine") === "pglite";
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "greenlight-scan-fresh-"));
  const env = (): Record<string, string> =>
    embedded
      ? { DATA_DIR: dataDir }
      : { DATABASE_URL: t().url, AUTH_SECRET: "scan-test-secret-scan-test-secret-0123456789", DATA_DIR: dataDir };
  const dir = mkdtempSync(path.join(os.tmpdir(), "greenlight-scan-inputs-"));
  const file = (name: string, content: string) => {
    const at = path.join(dir, name);
    mkdirSync(path.dirname(at), { recursive: true });
    writeFileSync(at, content);
    return at;
  };
  const osv = (id: string) => path.join(import.meta.dirname, "../fixtures/osv", `${id}.json`);

  it("works on a fresh data folder, labels packages not installed on the target, and exits 0, 1 or 2", async () => {
    // An advisory with no severity at all: its level is "unknown".
    const noSeverity = file(
      "PYSEC-2099-1.json",
      JSON.stringify({
        id: "PYSEC-2099-1",
        modified: "2099-01-01T00:00:00Z",
        summary: "no severity given",
        affected: [
          {
            package: { ecosystem: "PyPI", name: "requests" },
            ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "2.26.0" }] }],
          },
        ],
      }),
    );
    const imported = await cli(
      ["advisories", "import", osv("PYSEC-2019-217"), osv("MAL-2024-4312"), noSeverity],
      env(),
    );
    expect(imported.stderr).not.toMatch(/does not exist|at .*\.ts:/);
    expect(imported.code).toBe(0);
    if (embedded) expect(existsSync(path.join(dataDir, "pgdata"))).toBe(true);

    // The malware is declared only for Windows: listed and labelled, but it does not fail a Linux scan.
    const windowsOnly = file("windows-only.txt", 'numpy==1.26.4\nreqeusts==2.31.0; sys_platform == "win32"\n');
    const labelled = await cli(["deps", "scan", windowsOnly, "--fail-on", "low"], env());
    expect(labelled.code).toBe(0);
    const doc = JSON.parse(labelled.stdout);
    expect(doc).toMatchObject({ failed: false, errors: [], unread: [] });
    expect(doc.findings).toMatchObject([{ package: "reqeusts", id: "MAL-2024-4312", notInstalled: true }]);
    expect(doc.dependencies[1]).toMatchObject({ name: "reqeusts", direct: true, groups: [], markerResult: "false" });
    expect(doc.dependencies[0]).toMatchObject({ name: "numpy", direct: true, groups: [], markerResult: null });

    // PYSEC-2099-1 carries no severity: it fails the scan only with --fail-on unknown.
    const unknown = file("unknown.txt", "requests==2.25.0\n");
    const high = await cli(["deps", "scan", unknown], env());
    expect(JSON.parse(high.stdout).findings).toMatchObject([{ id: "PYSEC-2099-1", severity: "unknown" }]);
    expect(high.code).toBe(0);
    expect((await cli(["deps", "scan", unknown, "--fail-on", "unknown"], env())).code).toBe(1);

    // Every class of input the scan cannot fully read exits 2, with one line per problem on stderr.
    file("base.txt", "urllib3==2.0.0\n");
    const unreadable: [string, string, RegExp][] = [
      ["Pipfile.lock", '{"_meta": {', /^Pipfile\.lock:\d+: invalid JSON/m],
      [
        "pyproject.toml",
        '[project]\nname = "x"\ndependencies = ["requests>=2"\n',
        /^pyproject\.toml:\d+: invalid TOML/m,
      ],
      // lockfileVersion 1 is read (npm 5-6's tree); an entry it cannot read still fails the whole scan.
      [
        "package-lock.json",
        '{"name":"x","lockfileVersion":1,"dependencies":{"a":{"version":"1.0.0"},"b":{"resolved":"x"}}}',
        /^package-lock\.json(:\d+)?: b: no version/m,
      ],
      ["requirements.txt", "numpy==1.26.4\n-r base.txt\n-r missing.txt\n", /cannot read included file missing\.txt/],
      ["constraints.txt", "numpy==1.26.4\n-c sub/none.txt\n", /cannot read included file sub\/none\.txt/],
      ["requirements-dev.txt", "numpy==1.26.4\nnot a requirement\n", /^requirements-dev\.txt:2: /m],
    ];
    for (const [name, content, reason] of unreadable) {
      const run = await cli(["deps", "scan", file(name, content), "--fail-on", "unknown"], env());
      expect(run.code, name).toBe(2);
      expect(run.stderr, name).toMatch(reason);
      expect(run.stderr, name).not.toMatch(/\n\s+at /);
      expect(JSON.parse(run.stdout).failed, name).toBe(true);
    }
    // Includes are read from disk relative to the including file, and their packages are scanned.
    const nested = file("nested/req.txt", "numpy==1.26.4\n-r ../base.txt\n");
    const included = await cli(["deps", "scan", nested], env());
    expect(included.code).toBe(0);
    expect(JSON.parse(included.stdout).dependencies.map((d: { name: string }) => d.name)).toEqual(["numpy", "urllib3"]);
    expect((await cli(["deps", "scan", path.join(dir, "absent.txt")], env())).code).toBe(2);
  });

  it("rates an unrated PYSEC record from a stored alias (a CVE record naming no PyPI package), and counts what stays unknown", async () => {
    const pysec = file(
      "PYSEC-2099-2.json",
      JSON.stringify({
        id: "PYSEC-2099-2",
        modified: "2099-01-02T00:00:00Z",
        aliases: ["CVE-2099-0002"],
        affected: [
          {
            package: { ecosystem: "PyPI", name: "requests" },
            ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "2.20.0" }] }],
          },
        ],
      }),
    );
    // The CVE record affects no PyPI package (NVD's view): it is found only through the alias, and
    // its rating is a vector in its database's own field.
    const cve = file(
      "CVE-2099-0002.json",
      JSON.stringify({
        id: "CVE-2099-0002",
        modified: "2099-01-02T00:00:00Z",
        affected: [],
        database_specific: { nvd: { cvss_v3: { vectorString: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N" } } },
      }),
    );
    expect((await cli(["advisories", "import", pysec, cve], env())).code).toBe(0);
    const old = file("old-requests.txt", "requests==2.19.0\n");
    const run = await cli(["deps", "scan", old], env());
    // The default --fail-on high now fails it: before, the PYSEC record alone was "unknown" and passed.
    expect(run.code, run.stderr).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: "PYSEC-2099-2",
          severity: "high",
          score: 7.5,
          severitySource: "alias CVE-2099-0002",
        }),
        expect.objectContaining({ id: "PYSEC-2099-1", severity: "unknown", severitySource: null }),
      ]),
    );
    expect(doc.findingCounts).toEqual({ critical: 0, high: 1, medium: 0, low: 0, unknown: 1 });
  });
});
