import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { notifications } from "../../db/schema";
import { applyPolicies } from "../../lib/policies/apply-policies";
import { listPolicies } from "../../lib/policies/queries";
import { deactivatePolicy, savePolicy } from "../../lib/policies/save-policy";
import { renderTemplate } from "../../lib/notifications/templates";
import { createRequest } from "../../lib/requests/create-request";
import { submitRequest } from "../../lib/requests/submit-request";
import { describeDb } from "../support/database";
import { actorFor, expectStatus, race } from "../support/fixtures";
import { addPeople, seedRegistry } from "../support/registry";

// Issue 22: a policy change tells the other admins what changed, and the requester of each request in
// review whose chain the new policies would give differently that their chain stays as it is.
describeDb("emails when a policy changes", (t) => {
  let staging = 0;
  let production = 0;
  beforeAll(async () => {
    await seedRegistry(t().db);
    await addPeople(t().db, "admin", 1, "admin");
    const alice = { db: t().db, actor: await actorFor(t().db, "alice@example.com") };
    for (const [environment, version] of [
      ["staging", "v1"],
      ["production", "v2"],
    ] as const) {
      const { number } = await createRequest(alice, {
        model: "fraud-detector",
        version,
        environment,
        title: `Deploy ${version} to ${environment}`,
      });
      await submitRequest(alice, { number });
      if (environment === "staging") staging = number;
      else production = number;
    }
  });
  const as = async (email: string) => ({ db: t().db, actor: await actorFor(t().db, email) });
  const policyMail = async (email: string) =>
    t()
      .db.select()
      .from(notifications)
      .where(and(eq(notifications.template, "policy-changed"), eq(notifications.recipientEmail, email)))
      .orderBy(notifications.createdAt);
  const stepsOf = async (number: number) =>
    (
      await t()
        .sql`select count(*)::int as n from request_steps s join change_requests r on r.id = s.request_id and r.revision = s.revision where r.number = ${number}`
    )[0]!.n;
  const stagingPolicy = async () => (await listPolicies(t().db)).find((p) => p.name === "Staging deployments")!;
  const withSecurity = (p: Awaited<ReturnType<typeof stagingPolicy>>) => ({
    id: p.id,
    expectedVersion: p.version,
    name: p.name,
    description: "Staging now also needs security.",
    active: true,
    definition: {
      conditions: p.definition.conditions,
      stages: [
        [
          ...p.definition.stages[0]!,
          { name: "Security look", role: "security", scope: "any", quorum: 1, slaHours: 24, autoPass: "never" },
        ],
      ],
    },
  });

  it("the requester of an affected request hears their chain is unchanged and what a revision would get; the other admins hear of the change", async () => {
    const stepsBefore = await stepsOf(staging);
    const policy = await stagingPolicy();
    await savePolicy(await as("ada@example.com"), withSecurity(policy));

    expect(await stepsOf(staging)).toBe(stepsBefore); // the chain in flight stays as it was
    const [toAlice, ...moreToAlice] = await policyMail("alice@example.com");
    expect(moreToAlice).toHaveLength(0);
    expect(toAlice!.subject).toBe(`[CR-${staging}] A policy changed: your approval chain stays as it is`);
    const { text } = await renderTemplate("policy-changed", toAlice!.payload);
    expect(text).toContain("the chain stays as it is");
    expect(text).toContain(`CR-${staging} Deploy v1 to staging:`);
    expect(text).toContain("a revision adds Security look (security)");
    expect(text).not.toContain(`CR-${production}`); // its chain would be the same
    expect(text).toContain(`/requests/${staging}`);

    const [toAdmin] = await policyMail("admin0@example.com");
    expect(toAdmin!.subject).toBe("Policy changed: Staging deployments");
    const admin = await renderTemplate("policy-changed", toAdmin!.payload);
    expect(admin.text).toContain("Ada");
    expect(admin.text).toMatch(/routed differently on their next revision: 1 request of \d+ compared/);
    expect(admin.text).toContain("/admin/policies");
    // Whoever made the change is not told of it.
    expect(await policyMail("ada@example.com")).toHaveLength(0);
  });

  it("turning a policy off back to what the chains were given tells the admins only; refusals and bad input tell nobody", async () => {
    const aliceBefore = (await policyMail("alice@example.com")).length;
    const adminBefore = (await policyMail("admin0@example.com")).length;
    await expectStatus(deactivatePolicy(await as("lee@example.com"), { id: (await stagingPolicy()).id }), 403);
    await expectStatus(savePolicy(await as("ada@example.com"), { name: "x", definition: { conditions: {} } }), 400);
    expect(await policyMail("admin0@example.com")).toHaveLength(adminBefore);

    // Back to the stages the staging request was given: nobody's next revision would differ from it.
    const policy = await stagingPolicy();
    const original = policy.definition.stages[0]!.filter((s) => s.name !== "Security look");
    await savePolicy(await as("ada@example.com"), {
      ...withSecurity(policy),
      definition: { conditions: policy.definition.conditions, stages: [original] },
    });
    expect(await policyMail("alice@example.com")).toHaveLength(aliceBefore);
    expect(await policyMail("admin0@example.com")).toHaveLength(adminBefore + 1);
  });

  it("two admins saving the same version at once: one change, one set of emails", async () => {
    const adminBefore = (await policyMail("admin0@example.com")).length;
    const policy = await stagingPolicy();
    const { ok, statuses } = await race([
      async () => savePolicy(await as("ada@example.com"), withSecurity(policy)),
      async () => savePolicy(await as("ada@example.com"), withSecurity(policy)),
    ]);
    expect(ok).toHaveLength(1);
    expect(statuses).toEqual([409]);
    expect(await policyMail("admin0@example.com")).toHaveLength(adminBefore + 1);
  });

  it("policies as code: one apply touching a policy is one email per person", async () => {
    const adminBefore = (await policyMail("admin0@example.com")).length;
    const document = JSON.stringify({
      policies: [
        {
          name: "Notebook reviews",
          description: "",
          active: true,
          conditions: { kinds: ["deployment"], environments: ["staging"] },
          stages: [{ steps: [{ name: "Second look", role: "ml_lead", scope: "any", quorum: 1, slaHours: 24 }] }],
        },
      ],
    });
    expect(await applyPolicies(await as("ada@example.com"), { document })).toMatchObject({ applied: true });
    const mail = await policyMail("admin0@example.com");
    expect(mail).toHaveLength(adminBefore + 1);
    expect(mail.at(-1)!.payload).toMatchObject({ policies: ["Notebook reviews"] });
  });
});
