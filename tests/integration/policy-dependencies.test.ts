import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { describeConditions } from "../../lib/policies/describe";
import { policyFromForm } from "../../lib/policies/form";
import { savePolicy } from "../../lib/policies/save-policy";
import { dryRunHistory } from "../../lib/policies/dry-run-history";
import { createRequest } from "../../lib/requests/create-request";
import { submitRequest } from "../../lib/requests/submit-request";
import { uploadManifest } from "../../lib/requests/upload-manifest";
import { registerVersion } from "../../lib/models/register-version";
import { importAdvisories } from "../../lib/security/import-advisories";
import { describeDb } from "../support/database";
import { actorFor, expectStatus } from "../support/fixtures";
import { addPeople, seedRegistry } from "../support/registry";

// Issue 13, item 6: policies route on what a request's manifest brings. A staging deployment
// normally needs an ML lead only; one that brings malware (or a typosquat, or a bad vulnerability)
// also gets the security review the policy names.
const osv = (id: string) => ({
  name: `${id}.json`,
  bytes: new Uint8Array(readFileSync(path.join(import.meta.dirname, "../fixtures/osv", `${id}.json`))),
});
const MALWARE = ["numpy==1.26.4", "pandas==2.2.0", "reqeusts==2.31.0"].join("\n");
const CLEAN = ["numpy==1.26.4", "pandas==2.2.0"].join("\n");
const UNPINNED = ["numpy>=1.26", "pandas==2.2.0"].join("\n");
const REVIEW = [[{ name: "Supply-chain review", role: "security", scope: "any", quorum: 1, slaHours: 24 }]];

describeDb("policies that route on a request's dependencies", (t) => {
  const as = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });
  beforeAll(async () => {
    await seedRegistry(t().db);
    // A malware record makes a request high risk, which asks a second ML lead.
    await addPeople(t().db, "lead", 1, "ml_lead");
    const alice = await as("alice@example.com");
    for (let v = 9; v <= 16; v++)
      await registerVersion(alice, {
        model: "fraud-detector",
        version: `v${v}`,
        sourceUri: `s3://m/v${v}`,
        framework: "xgboost",
        hyperparameters: { depth: 6 },
        datasetName: "tx",
        datasetVersion: "1",
        metrics: { auc: 0.9 },
      });
    await importAdvisories({ db: t().db, actor: await actorFor(t().db, "sam@example.com") }, [osv("MAL-2024-4312")]);
  });
  let versions = 0;
  /** Files and submits a staging deployment of a fresh version, with this manifest (or none); its steps' names. */
  const stepsFor = async (manifest: string | null) => {
    const alice = await as("alice@example.com");
    const { number } = await createRequest(alice, {
      model: "fraud-detector",
      version: `v${++versions}`,
      environment: "staging",
      title: "Staging try-out",
    });
    if (manifest !== null) await uploadManifest(alice, { number, fileName: "requirements.txt", content: manifest });
    await submitRequest(alice, { number });
    const rows = await t()
      .sql`select s.name from request_steps s join change_requests r on r.id = s.request_id and r.revision = s.revision where r.number = ${number} order by s.stage, s.name`;
    return rows.map((r) => r.name as string);
  };
  const policy = (name: string, dependencies: Record<string, unknown>) => ({
    name,
    active: true,
    definition: { conditions: { kinds: ["deployment"], environments: ["staging"], dependencies }, stages: REVIEW },
  });

  it("a malware package adds the security review to a staging deployment; a clean manifest or none does not", async () => {
    const admin = await as("ada@example.com");
    const saved = await savePolicy(admin, policy("Malware needs security", { malware: true }));
    expect(await stepsFor(MALWARE)).toContain("Supply-chain review");
    expect(await stepsFor(CLEAN)).toEqual(["ML lead review"]);
    expect(await stepsFor(null)).toEqual(["ML lead review"]);
    expect(describeConditions(saved.definition.conditions, () => "")).toContain("manifests bringing malware");
    await savePolicy(admin, {
      ...policy(saved.name, { malware: true }),
      id: saved.id,
      expectedVersion: saved.version,
      active: false,
    });
  });

  it("typosquats, unpinned requirements and a vulnerability threshold each route; any one named signal is enough", async () => {
    const admin = await as("ada@example.com");
    const saved = await savePolicy(admin, policy("Loose manifests", { typosquat: true, unpinned: true }));
    // reqeusts is one letter from requests: a possible typosquat even before its malware record.
    expect(await stepsFor(MALWARE)).toContain("Supply-chain review");
    expect(await stepsFor(UNPINNED)).toContain("Supply-chain review");
    expect(await stepsFor(CLEAN)).not.toContain("Supply-chain review");
    const changed = await savePolicy(admin, {
      ...policy(saved.name, { vulnerabilityAtLeast: "critical" }),
      id: saved.id,
      expectedVersion: saved.version,
    });
    // A malware record is not a vulnerability: the threshold does not see it.
    expect(await stepsFor(MALWARE)).not.toContain("Supply-chain review");
    await savePolicy(admin, {
      ...policy(saved.name, { vulnerabilityAtLeast: "critical" }),
      id: saved.id,
      expectedVersion: changed.version,
      active: false,
    });
  });

  it("the dry run judges the same manifests: the draft rule would change a malware request, not a clean one", async () => {
    expect(await stepsFor(MALWARE)).not.toContain("Supply-chain review");
    expect(await stepsFor(CLEAN)).not.toContain("Supply-chain review");
    const [malware, clean] = await t()
      .sql`select number from change_requests where environment = 'staging' order by number desc limit 2`.then((rows) =>
      rows.map((r) => r.number as number).reverse(),
    );
    const draft = { ...policy("Draft malware rule", { malware: true }), description: "" };
    const result = await dryRunHistory(t().db, [draft as never], { days: 30 });
    const listed = result.requests.map((r) => r.number);
    expect(listed).toContain(malware);
    expect(listed).not.toContain(clean);
  });

  it("refuses a misspelt signal or an unknown severity at the field, and non-admins", async () => {
    const admin = await as("ada@example.com");
    const misspelt = await expectStatus(savePolicy(admin, policy("Typo", { malwares: true })), 400);
    expect(Object.keys(misspelt.fieldErrors ?? {})).toEqual(["definition.conditions.dependencies"]);
    const severity = await expectStatus(savePolicy(admin, policy("Severe", { vulnerabilityAtLeast: "severe" })), 400);
    expect(severity.fieldErrors?.["definition.conditions.dependencies.vulnerabilityAtLeast"]).toEqual([
      "A severity is low, medium, high or critical.",
    ]);
    await expectStatus(savePolicy(await as("sam@example.com"), policy("Security's own", { malware: true })), 403);
  });

  it("the editor's fields become the same conditions", () => {
    const parsed = policyFromForm({
      name: "From the form",
      stages: JSON.stringify(REVIEW),
      dependencySignals: ["malware", "unpinned"],
      vulnerabilityAtLeast: "high",
    });
    expect(parsed.definition.conditions).toEqual({
      dependencies: { malware: true, unpinned: true, vulnerabilityAtLeast: "high" },
    });
  });
});
