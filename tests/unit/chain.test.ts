import { describe, expect, it } from "vitest";
import { buildChain, policyMatches, type PolicyInput, type RequestFacts } from "../../lib/policies/chain";
import type { DependencySignals } from "../../lib/security/risk-facts";
import { SEED_POLICIES } from "../../lib/policies/seed-policies";

const policies: PolicyInput[] = SEED_POLICIES.map((p, i) => ({
  id: `p${i}`,
  name: p.name,
  version: 1,
  active: true,
  definition: p.definition,
}));
const request = (over: Partial<RequestFacts> = {}): RequestFacts => ({
  kind: "deployment",
  environment: "production",
  effectiveRisk: "medium",
  emergency: false,
  teamId: "fraud",
  ...over,
});
const summary = (r: RequestFacts) => buildChain(policies, r).map((s) => `${s.stage}:${s.role}/${s.scope}x${s.quorum}`);

describe("chain builder", () => {
  it("staging needs one ML lead", () => {
    expect(summary(request({ environment: "staging" }))).toEqual(["1:ml_lead/anyx1"]);
  });

  it("production: security and the team's manager in parallel, then an ML lead", () => {
    expect(summary(request())).toEqual(["1:manager/requester_teamx1", "1:security/anyx1", "2:ml_lead/anyx1"]);
    const chain = buildChain(policies, request());
    expect(chain.find((s) => s.role === "ml_lead")!.policies.map((p) => p.name)).toEqual(["Production deployments"]);
  });

  it("high risk adds a second ML lead approval: one merged step, higher quorum, at the later stage", () => {
    const chain = buildChain(policies, request({ effectiveRisk: "high" }));
    const leads = chain.filter((s) => s.role === "ml_lead");
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({ quorum: 2, stage: 2, name: "ML lead approval" });
    expect(leads[0]!.policies.map((p) => p.name).sort()).toEqual(["High-risk changes", "Production deployments"]);
    expect(summary(request({ environment: "staging", effectiveRisk: "high" }))).toEqual(["1:ml_lead/anyx2"]);
  });

  it("a merged step takes the later of its stages: it never moves ahead of a check some policy put before it", () => {
    const lead = (stage: string) =>
      ({ name: `Lead (${stage})`, role: "ml_lead", scope: "any", quorum: 1, slaHours: 24, autoPass: "never" }) as const;
    const checks: PolicyInput = {
      id: "checks",
      name: "Checks first",
      version: 1,
      active: true,
      definition: {
        conditions: {},
        stages: [
          [
            { name: "Security", role: "security", scope: "any", quorum: 1, slaHours: 48, autoPass: "never" },
            {
              name: "Budget",
              role: "manager",
              scope: "requester_team",
              quorum: 1,
              slaHours: 48,
              autoPass: "within_team_budget",
            },
          ],
          [lead("stage 2")],
        ],
      },
    };
    const early: PolicyInput = {
      id: "early",
      name: "Lead early",
      version: 1,
      active: true,
      definition: { conditions: {}, stages: [[{ ...lead("stage 1"), quorum: 2 }]] },
    };
    for (const order of [
      [early, checks],
      [checks, early],
    ]) {
      const chain = buildChain(order, request());
      expect(chain.map((s) => `${s.stage}:${s.role}x${s.quorum}`)).toEqual([
        "1:managerx1",
        "1:securityx1",
        "2:ml_leadx2",
      ]);
      expect(chain.find((s) => s.role === "ml_lead")).toMatchObject({ name: "Lead (stage 2)", stage: 2 });
    }
  });

  it("inactive and non-matching policies contribute nothing; stages are renumbered densely", () => {
    expect(
      buildChain(
        policies.map((p) => ({ ...p, active: false })),
        request(),
      ),
    ).toEqual([]);
    const custom: PolicyInput[] = [
      {
        id: "a",
        name: "A",
        version: 3,
        active: true,
        definition: {
          conditions: {},
          stages: [[], [{ name: "Lead", role: "ml_lead", scope: "any", quorum: 1, slaHours: 24, autoPass: "never" }]],
        },
      },
    ];
    expect(buildChain(custom, request())[0]).toMatchObject({
      stage: 1,
      policies: [{ id: "a", name: "A", version: 3 }],
    });
  });

  it("matches on kind, environment, minimum risk, emergency and team", () => {
    const r = request();
    expect(policyMatches({}, r)).toBe(true);
    expect(policyMatches({ kinds: ["provisioning"] }, r)).toBe(false);
    expect(policyMatches({ environments: ["staging"] }, r)).toBe(false);
    expect(policyMatches({ minRisk: "high" }, r)).toBe(false);
    expect(policyMatches({ minRisk: "medium" }, r)).toBe(true);
    expect(policyMatches({ emergency: true }, r)).toBe(false);
    expect(policyMatches({ teamIds: ["search"] }, r)).toBe(false);
    expect(policyMatches({ teamIds: ["fraud"], kinds: ["deployment"] }, r)).toBe(true);
  });

  it("matches on a manifest's dependency signals: any one named is enough, unrated vulnerabilities meet every threshold", () => {
    const signals: DependencySignals = {
      newToOrg: 0,
      deniedLicence: 0,
      malware: 0,
      typosquat: 0,
      unpinned: 0,
      worstVulnerability: null,
    };
    const withDeps = (d: Partial<DependencySignals> | null) =>
      request({ dependencies: d === null ? null : { ...signals, ...d } });
    expect(policyMatches({ dependencies: { malware: true } }, withDeps(null))).toBe(false);
    expect(policyMatches({ dependencies: { malware: true } }, withDeps({}))).toBe(false);
    expect(policyMatches({ dependencies: { malware: true } }, withDeps({ malware: 1 }))).toBe(true);
    expect(policyMatches({ dependencies: { malware: true, unpinned: true } }, withDeps({ unpinned: 2 }))).toBe(true);
    expect(
      policyMatches({ dependencies: { vulnerabilityAtLeast: "high" } }, withDeps({ worstVulnerability: "medium" })),
    ).toBe(false);
    expect(
      policyMatches({ dependencies: { vulnerabilityAtLeast: "high" } }, withDeps({ worstVulnerability: "critical" })),
    ).toBe(true);
    expect(
      policyMatches(
        { dependencies: { vulnerabilityAtLeast: "critical" } },
        withDeps({ worstVulnerability: "unknown" }),
      ),
    ).toBe(true);
    // An empty (or all-false) dependency condition names nothing: manifests do not matter.
    expect(policyMatches({ dependencies: {} }, withDeps(null))).toBe(true);
    expect(policyMatches({ dependencies: { malware: false } }, withDeps(null))).toBe(true);
    // And it combines with the other conditions.
    expect(
      policyMatches({ environments: ["staging"], dependencies: { malware: true } }, withDeps({ malware: 1 })),
    ).toBe(false);
  });
});
