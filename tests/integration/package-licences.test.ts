import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseManifest } from "../../lib/dependencies/manifests";
import { DEFAULT_LICENCE_POLICY } from "../../lib/dependencies/review";
import { withPackageLicences } from "../../lib/security/package-licences";
import { reviewDependencies } from "../../lib/security/review";
import { describeDb } from "../support/database";

// A stand-in for PyPI's JSON API (GET /pypi/{project}/{version}/json, as pypi.org documents it) on
// loopback: the `info` object carries license_expression (PEP 639), license and classifiers.
const RELEASES: Record<string, unknown> = {
  "numpy/1.26.4": { license_expression: null, license: "BSD-3-Clause", classifiers: [] },
  "torch/2.1.2": { license: "BSD-3-Clause", license_expression: "BSD-3-Clause" },
  "copyleft-lib/1.0.0": {
    license: "see LICENSE file",
    classifiers: ["License :: OSI Approved :: GNU General Public License v3 (GPLv3)", "Programming Language :: Python"],
  },
  "vague-lib/2.0": { license: "BSD", classifiers: ["License :: OSI Approved :: BSD License"] },
};
const calls: string[] = [];
let failing = false;
const server: Server = createServer((req, res) => {
  calls.push(req.url!);
  if (failing) return void res.writeHead(503).end();
  const match = /^\/pypi\/([^/]+)\/([^/]+)\/json$/.exec(req.url!);
  const info = match ? RELEASES[`${match[1]}/${match[2]}`] : undefined;
  if (!info) return void res.writeHead(404, { "content-type": "application/json" }).end('{"message": "Not Found"}');
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ info: { name: match![1], version: match![2], ...(info as object) }, urls: [] }));
});

describeDb("licences of Python packages from a package-metadata source (PACKAGE_METADATA_URL)", (t) => {
  let base: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const manifest = parseManifest({
    files: [
      {
        name: "requirements.txt",
        content: "numpy==1.26.4\ntorch==2.1.2\ncopyleft-lib==1.0.0\nvague-lib==2.0\nunpublished==0.1\nrequests>=2\n",
      },
    ],
  }).dependencies;

  it("fills each pinned package's licence from its release metadata; what it cannot tell stays unknown; cached", async () => {
    expect(await withPackageLicences(t().db, manifest, new Date(), undefined)).toMatchObject({ looked: 0 }); // unset: no call
    expect(calls).toEqual([]);
    const now = new Date("2026-12-02T10:00:00Z");
    const first = await withPackageLicences(t().db, manifest, now, base);
    expect(first).toMatchObject({ looked: 5, found: 3, problem: null });
    expect(first.dependencies.map((d) => [d.name, d.licence])).toEqual([
      ["numpy", "BSD-3-Clause"],
      ["torch", "BSD-3-Clause"],
      ["copyleft-lib", "GPL-3.0-only"],
      ["vague-lib", null], // "BSD" is no SPDX id, and its classifier names no one BSD licence
      ["unpublished", null], // 404
      ["requests", null], // a range: no release to ask about
    ]);
    // The review reads them like a lockfile's: the policy decides (GPL needs review by default).
    const reviews = reviewDependencies(first.dependencies, [], DEFAULT_LICENCE_POLICY, "requirements");
    expect(reviews.map((r) => r.licenceStatus)).toEqual([
      "allowed",
      "allowed",
      expect.not.stringMatching(/^allowed$|^not_declared$/),
      "not_declared",
      "not_declared",
      "not_declared",
    ]);

    // Again within the week: nothing asked, same answer (hits kept, misses kept for a week).
    calls.length = 0;
    const again = await withPackageLicences(t().db, manifest, new Date(now.getTime() + 86_400_000), base);
    expect(calls).toEqual([]);
    expect(again.dependencies.map((d) => d.licence)).toEqual(first.dependencies.map((d) => d.licence));
    // After a week, only the misses are asked again.
    const later = await withPackageLicences(t().db, manifest, new Date(now.getTime() + 8 * 86_400_000), base);
    expect(calls.sort()).toEqual(["/pypi/unpublished/0.1/json", "/pypi/vague-lib/2.0/json"]);
    expect(later.found).toBe(3);
  });

  it("a failing source is reported and never fatal; concurrent reviews agree", async () => {
    const fresh = parseManifest({
      files: [{ name: "requirements.txt", content: "numpy==1.26.4\nnew-lib==9.9\n" }],
    }).dependencies.map((d) => (d.name === "numpy" ? { ...d, pinnedVersion: "1.26.4" } : d));
    failing = true;
    const down = await withPackageLicences(t().db, fresh, new Date("2026-12-02T10:00:00Z"), base);
    failing = false;
    expect(down.problem).toMatch(/^1 lookup\(s\) failed \(new-lib 9\.9: answered 503\)/);
    expect(down.dependencies.map((d) => d.licence)).toEqual(["BSD-3-Clause", null]); // numpy from the cache
    const both = await Promise.all(
      [0, 1].map(() => withPackageLicences(t().db, fresh, new Date("2026-12-02T11:00:00Z"), base)),
    );
    expect(both.map((r) => r.problem)).toEqual([null, null]);
    const [row] = await t().sql`select count(*)::int as n from package_licences where name = 'new-lib'`;
    expect(row!.n).toBe(1);
  });
});
