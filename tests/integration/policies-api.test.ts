import type { Session } from "next-auth";
import { beforeAll, expect, it, vi } from "vitest";
import { createRequest } from "../../lib/requests/create-request";
import { submitRequest } from "../../lib/requests/submit-request";
import { createToken } from "../../lib/tokens/create-token";
import { describeDb } from "../support/database";
import { actorFor } from "../support/fixtures";
import { addPeople, seedRegistry } from "../support/registry";
import { callRoute, type CallOptions, type Handler } from "../support/routes";

// The policy API as CI and scripts call it: bearer tokens, ETag / If-Match, problem+json.
const state = vi.hoisted(() => ({ db: null as unknown, session: null as Session | null }));
vi.mock("../../lib/session/config", () => ({ auth: async () => state.session, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const list = await import("../../app/api/v1/policies/route");
const one = await import("../../app/api/v1/policies/[id]/route");
const exportRoute = await import("../../app/api/v1/policies/export/route");
const applyRoute = await import("../../app/api/v1/policies/apply/route");
const dryRunRoute = await import("../../app/api/v1/policies/dry-run/route");
const adminActions = await import("../../app/(app)/admin/actions");

const call = (handler: Handler, opts: CallOptions = {}) => callRoute(handler, "/api/v1/policies", opts);
const json = (body: unknown) => JSON.stringify(body);

const LEAD_REVIEW = { name: "Lead review", role: "ml_lead", scope: "any", quorum: 1, slaHours: 24 };

describeDb("policy API, policies as code and the dry run", (t) => {
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    state.db = t().db;
    await seedRegistry(t().db);
    await addPeople(t().db, "lead", 2, "ml_lead");
    for (const who of ["ada", "lee"]) {
      tokens[who] = (
        await createToken({ db: t().db, actor: await actorFor(t().db, `${who}@example.com`) }, { name: "ci" })
      ).token;
    }
  });
  const admin = (opts: CallOptions = {}) => ({ token: tokens.ada, ...opts });
  const exportYaml = () =>
    exportRoute.GET(
      new Request("http://localhost/api/v1/policies/export?format=yaml", {
        headers: { authorization: `Bearer ${tokens.ada}` },
      }),
      { params: Promise.resolve({}) },
    );

  it("lists, creates, reads with versions, and saves a new version only with the current If-Match", async () => {
    const listed = await call(list.GET, admin());
    expect(listed.status).toBe(200);
    expect(listed.body.policies.map((p: { name: string }) => p.name)).toContain("Staging deployments");

    const created = await call(
      list.POST,
      admin({
        method: "POST",
        body: json({
          name: "Search provisioning",
          definition: { conditions: { kinds: ["provisioning"] }, stages: [[LEAD_REVIEW]] },
        }),
      }),
    );
    expect(created).toMatchObject({ status: 201, body: { version: 1, active: true } });
    expect(created.headers.get("etag")).toBe('"1"');
    const id = created.body.id as string;

    const put = (ifMatch: string | undefined, quorum: number) =>
      call(one.PUT, {
        token: tokens.ada,
        method: "PUT",
        params: { id },
        headers: ifMatch ? { "if-match": ifMatch } : {},
        body: json({
          name: "Search provisioning",
          description: `quorum ${quorum}`,
          definition: { conditions: { kinds: ["provisioning"] }, stages: [[{ ...LEAD_REVIEW, quorum }]] },
        }),
      });
    const saved = await put('"1"', 2);
    expect(saved).toMatchObject({ status: 200, body: { version: 2, description: "quorum 2" } });
    expect(saved.headers.get("etag")).toBe('"2"');
    // Someone still holding version 1 is refused, and nothing changes.
    const stale = await put('"1"', 3);
    expect(stale).toMatchObject({
      status: 412,
      type: "application/problem+json",
      body: { code: "precondition_failed" },
    });
    // A weak tag never matches under If-Match's strong comparison (RFC 9110 §13.1.1).
    expect((await put('W/"2"', 3)).status).toBe(412);

    const read = await call(one.GET, admin({ params: { id } }));
    expect(read.status).toBe(200);
    expect(read.headers.get("etag")).toBe('"2"');
    expect(read.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(read.body.definition.stages[0][0].quorum).toBe(2);

    const gone = await call(one.DELETE, admin({ method: "DELETE", params: { id }, headers: { "if-match": '"2"' } }));
    expect(gone).toMatchObject({ status: 200, body: { active: false, version: 3 } });
    // Deactivating again changes nothing.
    expect((await call(one.DELETE, admin({ method: "DELETE", params: { id } }))).body.version).toBe(3);
    const audit = await t().sql`select action from audit_events where entity_id = ${id} order by seq`;
    expect(audit.map((a) => a.action)).toEqual(["policy.created", "policy.updated", "policy.deactivated"]);
  });

  it("two PUTs with the same If-Match: exactly one wins, the other gets 412", async () => {
    const created = await call(
      list.POST,
      admin({
        method: "POST",
        body: json({ name: "Race policy", definition: { conditions: {}, stages: [[LEAD_REVIEW]] } }),
      }),
    );
    const id = created.body.id as string;
    const results = await Promise.all(
      [1, 2, 3].map((n) =>
        call(one.PUT, {
          token: tokens.ada,
          method: "PUT",
          params: { id },
          headers: { "if-match": '"1"' },
          body: json({
            name: "Race policy",
            description: `writer ${n}`,
            definition: { conditions: {}, stages: [[LEAD_REVIEW]] },
          }),
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412]);
    const versions = await t()
      .sql`select version from approval_policy_versions where policy_id = ${id} order by version`;
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    await call(one.DELETE, admin({ method: "DELETE", params: { id } }));
  });

  it("refuses a non-admin and answers bad input with field errors, never 500", async () => {
    expect((await call(list.GET, { token: tokens.lee })).status).toBe(403);
    expect((await call(exportRoute.GET, { token: tokens.lee })).status).toBe(403);
    expect(
      (await call(applyRoute.POST, { token: tokens.lee, method: "POST", body: json({ document: "policies: []" }) }))
        .status,
    ).toBe(403);
    expect(
      (await call(dryRunRoute.POST, { token: tokens.lee, method: "POST", body: json({ policies: [] }) })).status,
    ).toBe(403);
    const bad = await call(
      list.POST,
      admin({
        method: "POST",
        body: json({
          name: "x",
          definition: { conditions: {}, stages: [[{ ...LEAD_REVIEW, role: "wizard", quorum: 0 }]] },
        }),
      }),
    );
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors)).toEqual(
      expect.arrayContaining(["name", "definition.stages.0.0.role", "definition.stages.0.0.quorum"]),
    );
    expect((await call(one.GET, admin({ params: { id: "nope" } }))).status).toBe(404);
    expect((await call(one.PUT, admin({ method: "PUT", params: { id: "nope" }, body: "{" }))).status).toBe(400);
  });

  it("export, apply a change: plan, apply, idempotent re-apply, prune", async () => {
    const exported = await call(exportRoute.GET, admin({ query: "?format=json" }));
    expect(exported.status).toBe(200);
    const yamlExport = await exportYaml();
    expect(yamlExport.headers.get("content-type")).toBe("application/yaml; charset=utf-8");
    expect(await yamlExport.text()).toMatch(/^# Greenlight approval policies/);
    const doc = exported.body as {
      policies: { name: string; active: boolean; stages: { steps: { quorum: number }[] }[] }[];
    };
    const active = doc.policies.filter((p) => p.active);
    const staging = active.find((p) => p.name === "Staging deployments")!;
    staging.stages[0]!.steps[0]!.quorum = 2;
    const document = json({ policies: active.filter((p) => p.name !== "High-risk changes") });

    const apply = (body: object) => call(applyRoute.POST, admin({ method: "POST", body: json({ document, ...body }) }));
    const planned = await apply({ dryRun: true });
    expect(planned.status).toBe(200);
    expect(planned.body).toMatchObject({
      applied: false,
      plan: { counts: { add: 0, change: 1, deactivate: 0 }, notInDocument: ["High-risk changes"] },
    });
    const before = await t().sql`select version from approval_policies where name = 'Staging deployments'`;
    const applied = await apply({});
    expect(applied.body.applied).toBe(true);
    const after = await t().sql`select version, definition from approval_policies where name = 'Staging deployments'`;
    expect(after[0]!.version).toBe(before[0]!.version + 1);
    expect(after[0]!.definition.stages[0][0].quorum).toBe(2);
    // Applying the same document again changes nothing: every policy stays at its version.
    const again = await apply({});
    expect(again.body).toMatchObject({ applied: false, plan: { counts: { change: 0, add: 0, deactivate: 0 } } });
    expect((await t().sql`select version from approval_policies where name = 'Staging deployments'`)[0]!.version).toBe(
      after[0]!.version,
    );
    const pruned = await apply({ prune: true });
    expect(pruned.body).toMatchObject({ applied: true, plan: { counts: { deactivate: 1 } } });
    expect((await t().sql`select active from approval_policies where name = 'High-risk changes'`)[0]!.active).toBe(
      false,
    );
    const audit = await t().sql`select count(*)::int as n from audit_events where action = 'policy.applied'`;
    expect(audit[0]!.n).toBe(2);
  });

  it("a YAML document with a bad field is refused at its line, and nothing is applied", async () => {
    const document = [
      "policies:",
      "  # the new rule",
      "  - name: Broken policy",
      "    stages:",
      "      - steps:",
      "          - name: Review",
      "            role: ml_lead",
      "            scope: any",
      "            quorum: eleven",
      "            slaHours: 24",
    ].join("\n");
    const refused = await call(applyRoute.POST, admin({ method: "POST", body: json({ document }) }));
    expect(refused.status).toBe(400);
    expect(refused.body.errors["policies.0.stages.0.steps.0.quorum"][0]).toMatch(/^line 9: /);
    expect(refused.body.detail).toContain("line 9, policies.0.stages.0.steps.0.quorum:");
    expect((await t().sql`select count(*)::int as n from approval_policies where name = 'Broken policy'`)[0]!.n).toBe(
      0,
    );
  });

  it("dry run: which recent requests would get a different chain, with counts and the list", async () => {
    const alice = { db: t().db, actor: await actorFor(t().db, "alice@example.com") };
    const numbers: number[] = [];
    for (const version of ["v1", "v2", "v3"]) {
      const { number } = await createRequest(alice, {
        model: "fraud-detector",
        version,
        environment: "staging",
        title: `Ship ${version}`,
      });
      await submitRequest(alice, { number });
      numbers.push(number);
    }
    // The oldest was submitted 40 days ago: outside a 30-day window.
    await t().sql`update change_requests set submitted_at = now() - interval '40 days' where number = ${numbers[0]!}`;
    const staging = (
      await t().sql`select id, definition from approval_policies where name = 'Staging deployments'`
    )[0]!;
    const draft = {
      id: staging.id,
      name: "Staging deployments",
      active: true,
      definition: {
        conditions: staging.definition.conditions,
        stages: [
          [{ ...staging.definition.stages[0][0], quorum: 3 }],
          [{ name: "Security look", role: "security", scope: "any", quorum: 1, slaHours: 24 }],
        ],
      },
    };
    const run = await call(dryRunRoute.POST, admin({ method: "POST", body: json({ days: 30, policies: [draft] }) }));
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ days: 30, scanned: 2, capped: false, changed: 2, unchanged: 0 });
    expect(run.body.byChange).toMatchObject({ quorum: 2, added: 2, removed: 0 });
    expect(run.body.requests.map((r: { number: number }) => r.number).sort()).toEqual(numbers.slice(1).sort());
    expect(run.body.requests[0].changes).toEqual(
      expect.arrayContaining([
        `ML lead review (ml_lead) needs 3 instead of ${staging.definition.stages[0][0].quorum}`,
        "adds Security look (security): stage 2, 1 needed",
      ]),
    );
    // The policies as they are change nothing; a wider window sees the old one too.
    const same = await call(dryRunRoute.POST, admin({ method: "POST", body: json({ days: 60, policies: [] }) }));
    expect(same.body).toMatchObject({ scanned: 3, changed: 0 });
    // A whole document works the same (as `policies apply` would apply it).
    const document = await (await exportYaml()).text();
    const whole = await call(dryRunRoute.POST, admin({ method: "POST", body: json({ days: 60, document }) }));
    expect(whole.body).toMatchObject({ scanned: 3, changed: 0 });
    const bad = await call(dryRunRoute.POST, admin({ method: "POST", body: json({ days: 400, policies: [] }) }));
    expect(bad).toMatchObject({ status: 400, body: { errors: { days: ["At most 365 days."] } } });
    expect(
      (
        await t()
          .sql`select quorum from request_steps s join change_requests r on r.id = s.request_id where r.number = ${numbers[1]!}`
      )[0]!.quorum,
    ).toBe(staging.definition.stages[0][0].quorum);
  });

  it("the editor's dry run reads the form as the save does, and refuses a bad window at its field", async () => {
    const actor = await actorFor(t().db, "ada@example.com");
    state.session = { user: { ...actor }, expires: new Date(Date.now() + 3_600_000).toISOString() } as Session;
    try {
      const form = new FormData();
      form.set("name", "Every deployment");
      form.set("active", "on");
      form.append("kinds", "deployment");
      form.set("stages", json([[{ ...LEAD_REVIEW, name: "Extra lead look", role: "security" }]]));
      form.set("days", "60");
      const run = await adminActions.dryRunPolicyAction(form);
      expect(run.ok).toBe(true);
      if (!run.ok) return;
      expect(run.data).toMatchObject({ days: 60, scanned: 3, changed: 3, byChange: { added: 3 } });
      form.set("days", "0");
      expect(await adminActions.dryRunPolicyAction(form)).toMatchObject({ ok: false, status: 400 });
      form.set("days", "30");
      form.set("stages", "[[{]]");
      expect(await adminActions.dryRunPolicyAction(form)).toMatchObject({
        ok: false,
        fieldErrors: { stages: [expect.any(String)] },
      });
    } finally {
      state.session = null;
    }
  });
});
