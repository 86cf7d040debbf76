import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, expect, it, vi } from "vitest";
import { createDelegation } from "../../lib/delegations/create-delegation";
import { createRequest } from "../../lib/requests/create-request";
import { decide } from "../../lib/requests/decide";
import { decidePackage } from "../../lib/requests/decide-package";
import { submitRequest } from "../../lib/requests/submit-request";
import { uploadManifest } from "../../lib/requests/upload-manifest";
import { importAdvisories } from "../../lib/security/import-advisories";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, race } from "../support/fixtures";
import { addPeople, seedRegistry } from "../support/registry";
import { callRoute } from "../support/routes";
import { createToken } from "../../lib/tokens/create-token";
import { readRequestPage } from "../../lib/requests/read-request-page";

// The decisions route reads the database through lib/db: point it at the test's.
const state = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));
vi.mock("../../lib/session/config", () => ({ auth: async () => null, signIn: vi.fn(), signOut: vi.fn() }));
const decisionsRoute = await import("../../app/api/v1/requests/[number]/decisions/route");

// Issue 13, item 5: a rejected package, or one with an open malware record, blocks approving the
// request's security step; a security person may override with a reason, and that is audited.
const osv = (id: string) => ({
  name: `${id}.json`,
  bytes: new Uint8Array(readFileSync(path.join(import.meta.dirname, "../fixtures/osv", `${id}.json`))),
});
const MALWARE = ["numpy==1.26.4", "pandas==2.2.0", "reqeusts==2.31.0"].join("\n");
const CLEAN = ["numpy==1.26.4", "pandas==2.2.0"].join("\n");

describeDb("rejected means blocked: the security step and the manifest's packages", (t) => {
  beforeAll(async () => {
    state.db = t().db;
    await seedRegistry(t().db);
    // reqeusts' malware record makes a request high risk, which asks a second ML lead.
    await addPeople(t().db, "lead", 1, "ml_lead");
    await importAdvisories({ db: t().db, actor: await actorFor(t().db, "sam@example.com") }, [osv("MAL-2024-4312")]);
  });
  const as = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });
  const submitted = async (version: string, content: string) => {
    const alice = await as("alice@example.com");
    const { number } = await createRequest(alice, {
      model: "fraud-detector",
      version,
      environment: "production",
      title: `Deploy ${version}`,
    });
    await uploadManifest(alice, { number, fileName: "requirements.txt", content });
    await submitRequest(alice, { number });
    const [step] = await t()
      .sql`select s.id, s.status from request_steps s join change_requests r on r.id = s.request_id and r.revision = s.revision where r.number = ${number} and s.role = 'security'`;
    expect(step!.status).toBe("pending");
    return { number, stepId: step!.id as string };
  };
  const dependency = async (number: number, name: string) =>
    (
      await t()
        .sql`select d.id from request_dependencies d join dependency_manifests m on m.id = d.manifest_id and m.current join change_requests r on r.id = d.request_id where r.number = ${number} and d.normalized_name = ${name}`
    )[0]!.id as string;
  const securityStatus = async (stepId: string) =>
    (await t().sql`select status from request_steps where id = ${stepId}`)[0]!.status;

  it("an open malware record blocks the approval, naming the package; once the package is approved the step can be", async () => {
    const { number, stepId } = await submitted("v1", MALWARE);
    const sam = await as("sam@example.com");
    const refused = await expectStatus(decide(sam, { number, decision: "approve", stepId }), 409);
    expect(refused.message).toBe(
      `CR-${number}'s security step cannot be approved: reqeusts 2.31.0 has an open malware record (MAL-2024-4312). Decide those packages, or override with a reason.`,
    );
    expect(await securityStatus(stepId)).toBe("pending");
    await decidePackage(sam, {
      number,
      dependencyId: await dependency(number, "reqeusts"),
      decision: "approve",
      reason: "Internal mirror build, checked by hand.",
    });
    // Undecided packages do not block: no policy asks for every package to be decided.
    const approved = await decide(sam, { number, decision: "approve", stepId });
    expect(approved).toMatchObject({ step: { status: "approved" }, overridden: [] });
  });

  it("a rejected package blocks; an override needs a reason (400) and the security role held by the actor (403 for a delegate); it is recorded and audited", async () => {
    const { number, stepId } = await submitted("v2", MALWARE);
    const sam = await as("sam@example.com");
    await decidePackage(sam, {
      number,
      dependencyId: await dependency(number, "numpy"),
      decision: "reject",
      reason: "Built against an unsupported BLAS.",
    });
    const refused = await expectStatus(decide(sam, { number, decision: "approve", stepId }), 409);
    expect(refused.message).toMatch(
      /cannot be approved: numpy 1\.26\.4 is rejected; reqeusts 2\.31\.0 has an open malware record \(MAL-2024-4312\)\./,
    );
    // The request page says so before the form is used.
    const page = await readRequestPage({ ...sam, now: new Date() }, { number: String(number) });
    expect(page.decision).toMatchObject({ ok: true, blockingPackages: ["numpy", "reqeusts"] });
    expect(page.decision && page.decision.ok && page.decision.blocking).toMatch(
      /^numpy 1\.26\.4 is rejected; reqeusts/,
    );
    const short = await expectStatus(
      decide(sam, { number, decision: "approve", stepId, override: { reason: "ok" } }),
      400,
    );
    expect(Object.keys(short.fieldErrors ?? {}).join()).toMatch(/override/);
    await expectStatus(decide(sam, { number, decision: "approve", stepId, override: {} }), 400);
    await expectStatus(
      decide(sam, { number, decision: "reject", comment: "no", stepId, override: { reason: "Long enough reason." } }),
      400,
    );

    // Bob may decide for Sam while Sam is away, but not override the security team's rejections.
    await createDelegation(sam, { to: "bob@example.com", endsAt: new Date(Date.now() + 3 * 86_400_000) });
    const bob = await as("bob@example.com");
    await expectStatus(decide(bob, { number, decision: "approve", stepId }), 409);
    const delegate = await expectStatus(
      decide(bob, { number, decision: "approve", stepId, override: { reason: "Sam said it was fine." } }),
      403,
    );
    expect(delegate.message).toMatch(/security role/);
    expect(await securityStatus(stepId)).toBe("pending");

    // Through the API, as a script would: refused naming the packages, then the override.
    const { token } = await createToken(sam, { name: "ci" });
    const post = (body: Record<string, unknown>) =>
      callRoute(decisionsRoute.POST, `/api/v1/requests/${number}/decisions`, {
        token,
        method: "POST",
        params: { number: String(number) },
        body: JSON.stringify(body),
      });
    const viaApi = await post({ decision: "approve", stepId });
    expect(viaApi.status).toBe(409);
    expect(JSON.stringify(viaApi.body)).toMatch(/numpy 1\.26\.4 is rejected/);
    expect((await post({ decision: "approve", stepId, override: { reason: "short" } })).status).toBe(400);
    const reason = "Shipped to an isolated batch cluster; numpy pinned by the platform team.";
    const done = await post({ decision: "approve", stepId, comment: "Approved.", override: { reason } });
    expect(done.status).toBe(201);
    expect(done.body.result).toMatchObject({ step: { status: "approved" }, overridden: ["numpy", "reqeusts"] });
    const [decision] = await t()
      .sql`select d.comment from decisions d join change_requests r on r.id = d.request_id where r.number = ${number} and d.step_id = ${stepId}`;
    expect(decision!.comment).toBe(`Approved.\n\nSecurity override: ${reason}`);
    const audits = await t()
      .sql`select action, actor_email, data from audit_events where action in ('request.security_override', 'request.decided') and data->>'number' = ${String(number)} order by seq`;
    expect(audits.map((a) => a.action)).toEqual(["request.decided", "request.security_override"]);
    expect(audits[1]).toMatchObject({
      actor_email: "sam@example.com",
      data: {
        number,
        reason,
        step: "Security review",
        packages: [
          { name: "numpy", version: "1.26.4", why: "rejected", ids: [] },
          { name: "reqeusts", version: "2.31.0", why: "malware", ids: ["MAL-2024-4312"] },
        ],
      },
    });
    expect(audits[0]!.data).toMatchObject({ override: true, decision: "approve" });
  });

  it("approve and a package rejection at once: either the approval is refused or the rejection comes after it", async () => {
    const { number, stepId } = await submitted("v3", CLEAN);
    const sam = await as("sam@example.com");
    const numpy = await dependency(number, "numpy");
    const { ok, statuses } = await race<unknown>([
      () => decide(sam, { number, decision: "approve", stepId }),
      () => decidePackage(sam, { number, dependencyId: numpy, decision: "reject", reason: "Unsupported BLAS." }),
    ]);
    const step = await securityStatus(stepId);
    const events = await t()
      .sql`select action from audit_events where action in ('request.decided', 'dependency.decided') and data->>'number' = ${String(number)} order by seq`;
    if (statuses.length) {
      // The rejection won the lock: the approval saw it and was refused.
      expect(statuses).toEqual([409]);
      expect(ok).toHaveLength(1);
      expect(step).toBe("pending");
      expect(events.map((e) => e.action)).toEqual(["dependency.decided"]);
    } else {
      // The approval won: it committed with numpy undecided, and the rejection followed.
      expect(ok).toHaveLength(2);
      expect(step).toBe("approved");
      expect(events.map((e) => e.action)).toEqual(["request.decided", "dependency.decided"]);
    }
    const [dep] = await t().sql`select decision from request_dependencies where id = ${numpy}`;
    expect(dep!.decision).toBe("rejected");
  });
});
