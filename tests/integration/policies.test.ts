import { beforeAll, expect, it } from "vitest";
import { exportAudit } from "../../lib/audit/export";
import { createRequest } from "../../lib/requests/create-request";
import { submitRequest } from "../../lib/requests/submit-request";
import { listPolicies } from "../../lib/policies/queries";
import { policyFromForm } from "../../lib/policies/form";
import { savePolicy } from "../../lib/policies/save-policy";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, race } from "../support/fixtures";
import { seedRegistry } from "../support/registry";

describeDb("policies and the audit export", (t) => {
  beforeAll(async () => seedRegistry(t().db));
  const as = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });
  const staging = async () => (await listPolicies(t().db)).find((p) => p.name === "Staging deployments")!;

  it("an admin saves a new version; the chain snapshot of a request in flight does not change", async () => {
    const number = (
      await createRequest(await as("alice@example.com"), {
        model: "fraud-detector",
        version: "v1",
        environment: "staging",
        title: "In flight",
      })
    ).number;
    await submitRequest(await as("alice@example.com"), { number });
    const before = await staging();
    const saved = await savePolicy(await as("ada@example.com"), {
      id: before.id,
      expectedVersion: before.version,
      name: before.name,
      description: "Staging now also needs security.",
      active: true,
      definition: {
        conditions: before.definition.conditions,
        stages: [
          [
            ...before.definition.stages[0]!,
            { name: "Security look", role: "security", scope: "any", quorum: 1, slaHours: 24, autoPass: "never" },
          ],
        ],
      },
    });
    expect(saved.version).toBe(before.version + 1);
    const inFlight = await t()
      .sql`select s.role from request_steps s join change_requests r on r.id = s.request_id where r.number = ${number}`;
    expect(inFlight.map((r) => r.role)).toEqual(["ml_lead"]);
    const versions = await t()
      .sql`select version from approval_policy_versions where policy_id = ${before.id} order by version`;
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    const next = (
      await createRequest(await as("alice@example.com"), {
        model: "fraud-detector",
        version: "v2",
        environment: "staging",
        title: "After the edit",
      })
    ).number;
    await submitRequest(await as("alice@example.com"), { number: next });
    const fresh = await t()
      .sql`select s.role from request_steps s join change_requests r on r.id = s.request_id where r.number = ${next} order by s.role::text`;
    expect(fresh.map((r) => r.role)).toEqual(["ml_lead", "security"]);
  });

  it("refuses non-admins (403), bad definitions and bad JSON (400), and a stale editor (409)", async () => {
    const p = await staging();
    await expectStatus(savePolicy(await as("lee@example.com"), { ...p, expectedVersion: p.version }), 403);
    const bad = await expectStatus(
      savePolicy(await as("ada@example.com"), {
        name: "x",
        definition: { conditions: {}, stages: [[{ role: "wizard", quorum: 0 }]] },
      }),
      400,
    );
    expect(Object.keys(bad.fieldErrors ?? {})).toEqual(
      expect.arrayContaining(["name", "definition.stages.0.0.role", "definition.stages.0.0.quorum"]),
    );
    expect(() => policyFromForm({ name: "Broken", stages: "[[{" })).toThrow(/not valid JSON/);
    const admin = await as("ada@example.com");
    const edit = () =>
      savePolicy(admin, {
        id: p.id,
        expectedVersion: p.version,
        name: p.name,
        description: "race",
        active: true,
        definition: p.definition,
      });
    const { ok, statuses } = await race([edit, edit, edit]);
    expect(ok).toHaveLength(1);
    expect(statuses).toEqual([409, 409]);
    await expectStatus(savePolicy(admin, { name: "Production deployments", definition: p.definition }), 409); // name taken
  });

  it("exports the audit log as CSV and JSON, every event, chain fields included", async () => {
    const read = async (format: "csv" | "json") => new Response(exportAudit(t().db, {}, format)).text();
    const total = (await t().sql`select count(*)::int as n from audit_events`)[0]!.n as number;
    const json = JSON.parse(await read("json")) as { seq: number; hash: string; prev_hash: string }[];
    expect(json).toHaveLength(total);
    expect(json[0]!.seq).toBe(total); // newest first
    expect(json.at(-1)!.prev_hash).toBe("0".repeat(64));
    const csv = (await read("csv")).trim().split("\n");
    expect(csv[0]).toBe("seq,occurred_at,actor_email,action,entity_type,entity_id,data,prev_hash,hash");
    expect(csv).toHaveLength(total + 1);
    const actions = new Set(json.map((e) => (e as unknown as { action: string }).action));
    expect(actions).toContain("policy.updated");
  });
});
