import { readFileSync } from "node:fs";
import path from "node:path";
import { strToU8, zipSync } from "fflate";
import { beforeAll, expect, it } from "vitest";
import { createRequest } from "../../lib/requests/create-request";
import { submitRequest } from "../../lib/requests/submit-request";
import { createAllowlistEntry, revokeAllowlistEntry } from "../../lib/security/allowlist";
import { decidePackage } from "../../lib/requests/decide-package";
import { importAdvisories } from "../../lib/security/import-advisories";
import { currentManifest } from "../../lib/security/manifest-review";
import { licencePolicy, setLicencePolicy } from "../../lib/security/licence-policy";
import { listAllowlist, securityQueue } from "../../lib/security/queries";
import { uploadManifest } from "../../lib/requests/upload-manifest";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, race } from "../support/fixtures";
import { addPeople, seedRegistry } from "../support/registry";

const osvDir = path.join(import.meta.dirname, "../fixtures/osv");
const osv = (id: string) => ({
  name: `${id}.json`,
  bytes: new Uint8Array(readFileSync(path.join(osvDir, `${id}.json`))),
});

// jinja2 2.9 is affected (PYSEC-2019-217 / GHSA-462w-v97r-4m45); reqeusts is a MAL- record and a typosquat.
const REQUIREMENTS = [
  "numpy==1.26.4",
  "pandas==2.2.0",
  "jinja2==2.9",
  "reqeusts==2.31.0",
  "this is not a requirement",
  "scikit-learn>=1.3",
].join("\n");
const CLEAN = ["numpy==1.26.4", "pandas==2.2.0"].join("\n");

describeDb("dependency review: advisories, manifests, package decisions and the allowlist", (t) => {
  beforeAll(async () => {
    await seedRegistry(t().db);
  });
  const as = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });
  const file = async (version: string) =>
    (
      await createRequest(await as("alice@example.com"), {
        model: "fraud-detector",
        version,
        environment: "production",
        title: `Deploy ${version}`,
      })
    ).number;
  const steps = async (number: number) =>
    t()
      .sql`select s.role, s.status, s.reason, s.evidence from request_steps s join change_requests r on r.id = s.request_id and r.revision = s.revision where r.number = ${number} order by s.stage, s.role`;

  it("imports OSV records from JSON and zips; security and admins only; bad files are reported; an older copy never replaces a newer one", async () => {
    await expectStatus(importAdvisories(await as("alice@example.com"), [osv("PYSEC-2019-217")]), 403);
    const bad = await expectStatus(
      importAdvisories(await as("sam@example.com"), [{ name: "x.json", bytes: strToU8("{not json") }]),
      400,
    );
    expect(bad.fieldErrors?.file?.[0]).toMatch(/x.json: not JSON/);
    await expectStatus(importAdvisories(await as("sam@example.com"), []), 400);
    const zip = zipSync({
      "PYSEC-2019-217.json": readFileSync(path.join(osvDir, "PYSEC-2019-217.json")),
      "GHSA-9wx4-h78v-vm56.json": readFileSync(path.join(osvDir, "GHSA-9wx4-h78v-vm56.json")),
      "notes.txt": strToU8("ignored"),
    });
    const first = await importAdvisories(await as("sam@example.com"), [
      { name: "pypi.zip", bytes: zip },
      osv("MAL-2024-4312"),
      osv("PYSEC-2021-59"),
      { name: "junk.json", bytes: strToU8('{"id": 1}') },
    ]);
    expect(first).toMatchObject({ added: 4, updated: 0, withdrawn: 1, records: 4 });
    expect(first.problems).toHaveLength(1);
    // Re-importing the same records (concurrently, by two people) changes nothing; an older copy is ignored.
    const { ok } = await race(
      [as("sam@example.com"), as("ada@example.com")].map(
        (who) => async () => importAdvisories(await who, [osv("PYSEC-2019-217")]),
      ),
    );
    expect(ok.map((r) => r.unchanged)).toEqual([1, 1]);
    const older = JSON.parse(readFileSync(path.join(osvDir, "PYSEC-2019-217.json"), "utf8"));
    older.modified = "2001-01-01T00:00:00Z";
    older.summary = "stale copy";
    expect(
      await importAdvisories(await as("sam@example.com"), [
        { name: "old.json", bytes: strToU8(JSON.stringify(older)) },
      ]),
    ).toMatchObject({ unchanged: 1 });
    const stored = await t().sql`select summary from advisories where id = 'PYSEC-2019-217'`;
    expect(stored[0]!.summary).not.toBe("stale copy");
  });

  it("upload: the manifest is parsed and reviewed (findings, typosquat, malware, new packages, bad lines); only the requester; bad input refused", async () => {
    const number = await file("v1");
    const alice = await as("alice@example.com");
    await expectStatus(
      uploadManifest(await as("bob@example.com"), { number, fileName: "requirements.txt", content: REQUIREMENTS }),
      403,
    );
    const empty = await expectStatus(uploadManifest(alice, { number, fileName: "requirements.txt", content: "" }), 400);
    expect(Object.keys(empty.fieldErrors ?? {})).toEqual(["content"]);
    const unknown = await expectStatus(
      uploadManifest(alice, { number, fileName: "deps.bin", content: "\u00ff\u00fe not a manifest" }),
      400,
    );
    expect(Object.keys(unknown.fieldErrors ?? {})).toEqual(["format"]);
    // Control characters (a binary file pasted as text) are refused at the field before any parsing.
    const binary = await expectStatus(
      uploadManifest(alice, { number, fileName: "deps.bin", content: "\u0000\u0001" }),
      400,
    );
    expect(Object.keys(binary.fieldErrors ?? {})).toEqual(["content"]);
    await expectStatus(
      uploadManifest(alice, { number, fileName: "requirements.txt", content: "numpy==1", python: "python3" }),
      400,
    );

    const uploaded = await uploadManifest(alice, { number, fileName: "requirements.txt", content: REQUIREMENTS });
    expect(uploaded).toMatchObject({ format: "requirements", dependencies: 5, reset: false });
    expect(uploaded.errors.map((e) => e.line)).toEqual([5]);
    const { deps } = (await currentManifest(
      t().db,
      (await t().sql`select id from change_requests where number = ${number}`)[0]!.id,
    ))!;
    const byName = Object.fromEntries(deps.map((d) => [d.normalizedName, d]));
    expect(byName.jinja2!.findings.map((f) => f.primaryId)).toEqual(["PYSEC-2019-217"]); // the GHSA alias is not imported here
    expect(byName.jinja2!.findings[0]).toMatchObject({
      severity: expect.any(String),
      status: "affected",
      fixedVersions: ["2.10.0"],
    });
    expect(byName.reqeusts!.signals.map((s) => s.kind).sort()).toEqual(["malware", "typosquat"]);
    expect(byName["scikit-learn"]).toMatchObject({ kind: "range", pinnedVersion: null });
    expect(deps.every((d) => d.newToOrg)).toBe(true);
    expect(byName.numpy!.findings).toEqual([]);
  });

  it("security decides package by package (approve adds to the allowlist, reject records why); concurrent decisions count once", async () => {
    const number = await file("v2");
    const alice = await as("alice@example.com");
    await uploadManifest(alice, { number, fileName: "requirements.txt", content: REQUIREMENTS });
    // jinja2's open vulnerability and reqeusts' malware record make it high risk: two ML leads, and
    // the organisation has one, so submitting is refused until there is a second.
    const refused = await expectStatus(submitRequest(alice, { number }), 409);
    expect(refused.message).toMatch(/ML lead approval needs 2 ML leads; the organisation has 1 \(Lee Tanaka\)/);
    await addPeople(t().db, "lead", 1, "ml_lead");
    await submitRequest(alice, { number });
    const security = (await steps(number)).find((s) => s.role === "security")!;
    expect(security.status).toBe("pending");
    expect((security.evidence as { note: string }).note).toMatch(/^5 of 5 dependencies need review/);
    expect((await securityQueue(t().db)).map((q) => q.number)).toContain(number);

    const id = async (name: string) =>
      (
        await t()
          .sql`select d.id from request_dependencies d join dependency_manifests m on m.id = d.manifest_id and m.current join change_requests r on r.id = d.request_id where r.number = ${number} and d.normalized_name = ${name}`
      )[0]!.id as string;
    const sam = await as("sam@example.com");
    await expectStatus(
      decidePackage(alice, { number, dependencyId: await id("numpy"), decision: "approve", reason: "mine" }),
      403,
    );
    const noReason = await expectStatus(
      decidePackage(sam, { number, dependencyId: await id("numpy"), decision: "approve", reason: "" }),
      400,
    );
    expect(Object.keys(noReason.fieldErrors ?? {})).toEqual(["reason"]);
    const badRange = await expectStatus(
      decidePackage(sam, {
        number,
        dependencyId: await id("numpy"),
        decision: "approve",
        reason: "fine",
        versionRange: "around 1.x",
      }),
      400,
    );
    expect(Object.keys(badRange.fieldErrors ?? {})).toEqual(["versionRange"]);
    const rejected = await decidePackage(sam, {
      number,
      dependencyId: await id("reqeusts"),
      decision: "reject",
      reason: "Typosquat of requests with a malware record.",
    });
    expect(rejected.dependency).toMatchObject({ decision: "rejected" });
    const numpy = await id("numpy");
    const once = await race(
      [0, 1, 2].map(
        () => () =>
          decidePackage(sam, { number, dependencyId: numpy, decision: "approve", reason: "Widely used, pinned." }),
      ),
    );
    expect(once.ok).toHaveLength(1);
    expect(once.statuses).toEqual([409, 409]);
    await decidePackage(sam, {
      number,
      dependencyId: await id("pandas"),
      decision: "approve",
      reason: "Widely used, pinned.",
      scope: "team",
    });
    await decidePackage(sam, {
      number,
      dependencyId: await id("jinja2"),
      decision: "approve",
      reason: "Templates are not user-supplied here.",
      ignoreVulnerabilities: true,
    });
    const entries = await listAllowlist(t().db);
    expect(
      entries
        .filter((e) => e.action === "approve")
        .map((e) => `${e.normalizedName} ${e.versionRange} ${e.teamId ? "team" : "org"}`)
        .sort(),
    ).toEqual(["jinja2 ==2.9 org", "numpy ==1.26.4 org", "pandas ==2.2.0 team"]);
    expect(entries.find((e) => e.action === "ignore_vulnerability")!.vulnerabilityIds.sort()).toEqual([
      "CVE-2019-10906",
      "GHSA-462w-v97r-4m45",
      "PYSEC-2019-217",
    ]);
    expect(entries.every((e) => e.unused)).toBe(true);
  });

  it("the next request with only allowlisted packages passes its security step by itself, with the reason; the entries count as used", async () => {
    const number = await file("v3");
    const alice = await as("alice@example.com");
    await uploadManifest(alice, { number, fileName: "requirements.txt", content: CLEAN });
    await submitRequest(alice, { number });
    const security = (await steps(number)).find((s) => s.role === "security")!;
    expect(security).toMatchObject({
      status: "auto_passed",
      reason: "All 2 dependencies are on the security allowlist with no open vulnerability (2 allowlist entries used).",
    });
    const used = (await listAllowlist(t().db))
      .filter((e) => !e.unused && e.state === "active")
      .map((e) => e.normalizedName)
      .sort();
    expect(used).toEqual(["numpy", "pandas"]);
    // Re-uploading in review resets the approvals (a new revision); a new, unknown package needs a person again.
    const again = await uploadManifest(alice, {
      number,
      fileName: "requirements.txt",
      content: `${CLEAN}\ntorch==2.1.0+cu118`,
    });
    expect(again.request).toMatchObject({ revision: 2, status: "in_review" });
    const next = (await steps(number)).find((s) => s.role === "security")!;
    expect(next.status).toBe("pending");
    expect((next.evidence as { note: string }).note).toMatch(/torch \(.*open vulnerabilities: GHSA-9wx4-h78v-vm56/);
  });

  it("allowlist entries: created and revoked by security; a team entry covers only that team; a revoked one covers nothing", async () => {
    const sam = await as("sam@example.com");
    await expectStatus(
      createAllowlistEntry(await as("alice@example.com"), {
        ecosystem: "PyPI",
        name: "scipy",
        versionRange: "*",
        reason: "x",
      }),
      403,
    );
    const bad = await expectStatus(
      createAllowlistEntry(sam, { ecosystem: "Cargo", name: "", versionRange: "", reason: "" }),
      400,
    );
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["ecosystem", "name", "reason", "versionRange"]);
    await expectStatus(
      createAllowlistEntry(sam, { ecosystem: "PyPI", name: "scipy", versionRange: "~=1", reason: "Standard" }),
      400,
    );
    const scipy = await createAllowlistEntry(sam, {
      ecosystem: "PyPI",
      name: "SciPy",
      versionRange: ">=1.11,<2",
      reason: "Standard numerical stack",
    });
    expect(scipy).toMatchObject({ normalizedName: "scipy" });
    const number = await file("v4");
    const alice = await as("alice@example.com");
    await uploadManifest(alice, { number, fileName: "requirements.txt", content: "numpy==1.26.4\nscipy==1.11.4" });
    await revokeAllowlistEntry(sam, { entryId: scipy.id, reason: "Re-review" });
    await expectStatus(revokeAllowlistEntry(sam, { entryId: scipy.id }), 409);
    await submitRequest(alice, { number });
    expect((await steps(number)).find((s) => s.role === "security")!.status).toBe("pending");
    // pandas was allowed for Fraud only: Search's request with it is not covered.
    const bob = await as("bob@example.com");
    const { number: search } = await createRequest(bob, {
      kind: "dependency_adoption",
      environment: "staging",
      title: "Adopt pandas",
    });
    await uploadManifest(bob, { number: search, fileName: "requirements.txt", content: "pandas==2.2.0" });
    await submitRequest(bob, { number: search });
    expect((await steps(search)).map((s) => s.status)).toEqual(["pending"]);
  });

  it("the organisation's licence policy: set by security, refused to others and for non-SPDX ids, used by later reviews", async () => {
    const sam = await as("sam@example.com");
    await expectStatus(setLicencePolicy(await as("alice@example.com"), { allowed: "MIT", denied: "" }), 403);
    const bad = await expectStatus(setLicencePolicy(sam, { allowed: "MIT, Apache 2.0", denied: "MIT" }), 400);
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["allowed", "denied"]);
    // Two people saving at once: both succeed, one policy stands, both changes are in the audit log.
    const { ok } = await race(
      [as("sam@example.com"), as("ada@example.com")].map(
        (who, i) => async () =>
          setLicencePolicy(await who, {
            allowed: i ? "MIT\nGPL-3.0-only" : "MIT, GPL-3.0-only",
            denied: "AGPL-3.0-only",
          }),
      ),
    );
    expect(ok).toHaveLength(2);
    expect(await licencePolicy(t().db)).toEqual({ allowed: ["MIT", "GPL-3.0-only"], denied: ["AGPL-3.0-only"] });
    const lock = JSON.stringify({
      name: "svc",
      lockfileVersion: 3,
      requires: true,
      packages: {
        "": { name: "svc", dependencies: { gplthing: "1.0.0", apachething: "1.0.0" } },
        "node_modules/gplthing": { version: "1.0.0", license: "GPL-3.0-only" },
        "node_modules/apachething": { version: "1.0.0", license: "Apache-2.0" },
      },
    });
    const number = await file("v5");
    await uploadManifest(await as("alice@example.com"), { number, fileName: "package-lock.json", content: lock });
    const rows = await t()
      .sql`select d.normalized_name, d.licence_status from request_dependencies d join change_requests r on r.id = d.request_id where r.number = ${number} order by 1`;
    expect(rows.map((r) => `${r.normalized_name}:${r.licence_status}`)).toEqual([
      "apachething:needs_review",
      "gplthing:allowed",
    ]);
  });
});
