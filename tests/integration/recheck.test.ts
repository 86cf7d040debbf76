import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { renderTemplate } from "../../lib/notifications/templates";
import { createRequest } from "../../lib/requests/create-request";
import { decide } from "../../lib/requests/decide";
import { markDeployed } from "../../lib/requests/mark-deployed";
import { submitRequest } from "../../lib/requests/submit-request";
import { uploadManifest } from "../../lib/requests/upload-manifest";
import { createAllowlistEntry } from "../../lib/security/allowlist";
import { importAdvisories } from "../../lib/security/import-advisories";
import { currentManifest } from "../../lib/security/manifest-review";
import { flaggedRequests } from "../../lib/security/queries";
import { describeDb } from "../support/database";
import { actorFor, expectStatus } from "../support/fixtures";
import { seedRegistry } from "../support/registry";

// Continuous review (issue 13, item 8): an advisory imported after the review re-checks the manifests
// of requests in review, approved or deployed. The tests run in order on one organisation.

const osv = (id: string) => ({
  name: `${id}.json`,
  bytes: new Uint8Array(readFileSync(path.join(import.meta.dirname, "../fixtures/osv", `${id}.json`))),
});
// jinja2 2.9: PYSEC-2019-217 and its alias GHSA-462w-v97r-4m45 (rated high by the GHSA copy).
const JINJA = ["PYSEC-2019-217", "GHSA-462w-v97r-4m45"];

describeDb("continuous review: a new advisory re-checks reviewed requests", (t) => {
  beforeAll(async () => seedRegistry(t().db));
  const as = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });
  const numbers: { deployed: number; clean: number } = { deployed: 0, clean: 0 };
  const mail = async () =>
    (
      await t()
        .sql`select recipient_email, payload->>'number' as number from notifications where template = 'new-advisory' order by recipient_email`
    ).map((r) => `${r.recipient_email as string} ${r.number as string}`);
  const rechecks = async () =>
    t().sql`select entity_id, data from audit_events where action = 'request.rechecked' order by seq`;
  const requestId = async (number: number) =>
    (await t().sql`select id from change_requests where number = ${number}`)[0]!.id as string;
  // Approves every open step with whoever may decide it (the chain depends on the policies seeded).
  const approveAll = async (number: number) => {
    for (let round = 0; round < 5; round++) {
      const open = await t()
        .sql`select s.role from request_steps s join change_requests r on r.id = s.request_id and r.revision = s.revision where r.number = ${number} and s.status = 'pending' and s.opened_at is not null`;
      if (!open.length) return;
      for (const { role } of open) {
        const who = { ml_lead: "lee@example.com", security: "sam@example.com", manager: "maya@example.com" }[
          role as string
        ];
        if (who) await decide(await as(who), { number, decision: "approve" });
      }
    }
  };
  const file = async (version: string, content: string) => {
    const alice = await as("alice@example.com");
    const { number } = await createRequest(alice, {
      model: "fraud-detector",
      version,
      environment: "staging",
      title: `Deploy ${version}`,
    });
    await uploadManifest(alice, { number, fileName: "requirements.txt", content });
    await submitRequest(alice, { number });
    return number;
  };

  it("setup: a deployed request with jinja2 2.9 and a request in review with unaffected packages", async () => {
    numbers.deployed = await file("v1", "jinja2==2.9\nnumpy==1.26.4");
    await approveAll(numbers.deployed);
    await markDeployed(await as("alice@example.com"), { number: numbers.deployed });
    numbers.clean = await file("v2", "numpy==1.26.4\npandas==2.2.0");
    const status = await t().sql`select number, status from change_requests order by number`;
    expect(status.map((r) => r.status)).toEqual(["deployed", "in_review"]);
    expect(await mail()).toEqual([]);
  });

  it("a refused actor's import stays refused and re-checks nothing", async () => {
    await expectStatus(importAdvisories(await as("alice@example.com"), JINJA.map(osv)), 403);
    expect(await mail()).toEqual([]);
    expect(await rechecks()).toHaveLength(0);
  });

  it("an import of a high advisory: the finding is stored, an audit event, mail to requester and security, on the queue", async () => {
    const result = await importAdvisories(await as("sam@example.com"), JINJA.map(osv));
    expect(result.rechecked.flagged).toEqual([numbers.deployed]);
    const current = await currentManifest(t().db, await requestId(numbers.deployed));
    const jinja = current!.deps.find((d) => d.normalizedName === "jinja2")!;
    expect(jinja.findings).toHaveLength(1);
    expect(jinja.findings[0]).toMatchObject({ severity: "high", recheckedAt: expect.any(String) });
    expect(jinja.findings[0]!.ids).toEqual(expect.arrayContaining(JINJA));
    const events = await rechecks();
    expect(events).toHaveLength(1);
    expect(events[0]!.entity_id).toBe(await requestId(numbers.deployed));
    expect(events[0]!.data).toMatchObject({ number: numbers.deployed, packages: ["jinja2"] });
    expect(await mail()).toEqual([`alice@example.com ${numbers.deployed}`, `sam@example.com ${numbers.deployed}`]);
    // What the reader must know without opening the app: which request, where it runs, what matched.
    const [toAlice] = await t()
      .sql`select subject, payload from notifications where template = 'new-advisory' and recipient_email = 'alice@example.com'`;
    expect(toAlice!.subject).toBe(`[CR-${numbers.deployed}] New high advisory: jinja2`);
    const { text } = await renderTemplate("new-advisory", toAlice!.payload);
    expect(text).toContain("Request: deployed in staging: fraud-detector v1");
    expect(text).toMatch(/Advisories: (PYSEC-2019-217|GHSA-462w-v97r-4m45)\n/); // one finding, named by its primary id
    expect(text).toContain("Packages: jinja2");
    expect(text).toContain(`/requests/${numbers.deployed}/dependencies`);
    expect((await flaggedRequests(t().db)).map((r) => [r.number, r.status])).toEqual([[numbers.deployed, "deployed"]]);
  });

  it("a request whose packages are unaffected: no finding, no event, no mail, not on the queue", async () => {
    const current = await currentManifest(t().db, await requestId(numbers.clean));
    expect(current!.deps.every((d) => d.findings.length === 0)).toBe(true);
    expect((await rechecks()).map((e) => e.entity_id)).not.toContain(await requestId(numbers.clean));
    expect(await mail()).not.toContainEqual(expect.stringContaining(` ${numbers.clean}`));
    expect((await flaggedRequests(t().db)).map((r) => r.number)).not.toContain(numbers.clean);
  });

  it("re-importing the same advisories sends no second mail and records no second re-check", async () => {
    const again = await importAdvisories(await as("ada@example.com"), JINJA.map(osv));
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 2, rechecked: { dependencies: 0, flagged: [] } });
    expect(await mail()).toHaveLength(2);
    expect(await rechecks()).toHaveLength(1);
  });

  it("a new finding the security team already ignores (an allowlist entry) is stored but flags nothing", async () => {
    const approved = await file("v3", "torch==2.0.1");
    await approveAll(approved);
    await createAllowlistEntry(await as("sam@example.com"), {
      ecosystem: "PyPI",
      name: "torch",
      versionRange: "*",
      action: "ignore_vulnerability",
      vulnerabilityIds: ["GHSA-9wx4-h78v-vm56"],
      reason: "Not reachable from our serving path.",
    });
    const result = await importAdvisories(await as("sam@example.com"), [osv("GHSA-9wx4-h78v-vm56")]);
    expect(result.rechecked).toEqual({ dependencies: 1, flagged: [] });
    const current = await currentManifest(t().db, await requestId(approved));
    const torch = current!.deps.find((d) => d.normalizedName === "torch")!;
    expect(torch.findings.map((f) => [f.primaryId, f.recheckedAt])).toEqual([["GHSA-9wx4-h78v-vm56", undefined]]);
    expect(["high", "critical"]).toContain(torch.findings[0]!.severity); // it would flag, were it not ignored
    expect(await mail()).toHaveLength(2);
    expect((await flaggedRequests(t().db)).map((r) => r.number)).toEqual([numbers.deployed]);
  });
});
