import { describe, expect, it } from "vitest";
import {
  describeFieldErrors,
  exportPolicyDocument,
  parsePolicyDocument,
  planApply,
  toStored,
  type StoredPolicy,
} from "../../lib/policies/as-code";
import { buildChain } from "../../lib/policies/chain";
import { compareChains, draftSet } from "../../lib/policies/dry-run";
import { eligibility } from "../../lib/policies/eligible";
import { ifMatchVersions } from "../../lib/http/conditional";
import { cliRemote } from "../../lib/env";
import { SEED_POLICIES } from "../../lib/policies/seed-policies";

const TEAMS = [{ id: "00000000-0000-4000-8000-000000000001", name: "Fraud" }];
const stored: StoredPolicy[] = SEED_POLICIES.map((p, i) => ({
  ...p,
  id: `00000000-0000-4000-8000-00000000010${i}`,
  version: 1,
  active: true,
}));

function parse(text: string) {
  const parsed = parsePolicyDocument(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const result = toStored(parsed.doc, TEAMS);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.policies;
}

describe("policies as code", () => {
  it("export is ordered by name and stable; re-reading it plans nothing (YAML and JSON)", () => {
    const yaml = exportPolicyDocument([...stored].reverse(), TEAMS, "yaml");
    expect(yaml).toBe(exportPolicyDocument(stored, TEAMS, "yaml"));
    expect(yaml.startsWith("# Greenlight approval policies")).toBe(true);
    const names = [...yaml.matchAll(/^ {2}- name: (.+)$/gm)].map((m) => m[1]);
    expect(names).toEqual([...names].sort());
    for (const text of [yaml, exportPolicyDocument(stored, TEAMS, "json")]) {
      const plan = planApply(stored, parse(text), { prune: true });
      expect(plan.counts).toEqual({ add: 0, change: 0, unchanged: stored.length, deactivate: 0 });
    }
  });

  it("a data-owner review on a column changed since training survives export and re-reading, and matches only such requests", () => {
    const dataOwner: StoredPolicy = {
      id: "00000000-0000-4000-8000-000000000200",
      name: "Data owner review",
      description: "A model trained on data that has since changed is seen by a manager.",
      version: 1,
      active: true,
      definition: {
        conditions: { kinds: ["deployment"], usesChangedColumn: true },
        stages: [
          [{ name: "Data owner review", role: "manager", scope: "any", quorum: 1, slaHours: 48, autoPass: "never" }],
        ],
      },
    };
    for (const format of ["yaml", "json"] as const) {
      const text = exportPolicyDocument([dataOwner], TEAMS, format);
      expect(text).toContain("usesChangedColumn");
      const [again] = parse(text);
      expect(again!.definition.conditions.usesChangedColumn).toBe(true);
      expect(planApply([dataOwner], parse(text), { prune: true }).counts.unchanged).toBe(1);
    }
    const request = {
      kind: "deployment",
      environment: "production",
      effectiveRisk: "low",
      emergency: false,
      teamId: TEAMS[0]!.id,
    } as const;
    expect(buildChain([dataOwner], { ...request, usesChangedColumn: true }).map((s) => s.name)).toEqual([
      "Data owner review",
    ]);
    expect(buildChain([dataOwner], { ...request, usesChangedColumn: false })).toEqual([]);
    expect(buildChain([dataOwner], request)).toEqual([]);
  });

  it("plans add / change / unchanged, and deactivates what is left out only with prune", () => {
    const yaml = exportPolicyDocument(stored, TEAMS, "yaml")
      .replace("quorum: 1", "quorum: 2") // the first step of the first policy by name
      .concat(
        [
          "  # a new one, for the Fraud team only",
          "  - name: Fraud provisioning",
          "    conditions:",
          "      kinds: [provisioning]",
          "      teams: [Fraud]",
          "    stages:",
          "      - steps:",
          "          - { name: Lead look, role: ml_lead, scope: any, quorum: 1, slaHours: 24 }",
          "",
        ].join("\n"),
      );
    const desired = parse(yaml).filter((p) => p.name !== "Staging deployments");
    const kept = planApply(stored, desired, { prune: false });
    expect(kept.counts).toMatchObject({ add: 1, change: 1, deactivate: 0 });
    expect(kept.notInDocument).toEqual(["Staging deployments"]);
    expect(kept.entries.find((e) => e.action === "change")).toMatchObject({ changed: ["stages"], version: 1 });
    expect(desired.find((p) => p.name === "Fraud provisioning")!.definition.conditions.teamIds).toEqual([TEAMS[0]!.id]);
    // An amount written as a YAML number is the same threshold as the quoted one.
    const unquoted = parse(exportPolicyDocument(stored, TEAMS, "yaml").replace('amount: "10000"', "amount: 10000"));
    expect(planApply(stored, unquoted, { prune: true }).counts.change).toBe(0);
    const pruned = planApply(stored, desired, { prune: true });
    expect(pruned.entries.find((e) => e.action === "deactivate")?.name).toBe("Staging deployments");
  });

  it("a validation error names its line and field", () => {
    const text = [
      "# comments are fine",
      "policies:",
      "  - name: Odd one",
      "    stages:",
      "      - steps:",
      "          - name: Review",
      "            role: wizard",
      "            scope: any",
      "            quorum: 1",
      "            slaHours: 24",
    ].join("\n");
    const parsed = parsePolicyDocument(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(describeFieldErrors(parsed.errors)).toEqual(["line 7, policies.0.stages.0.steps.0.role: Choose a role."]);
    // A typo in a key is refused at its own line, not ignored.
    const typo = parsePolicyDocument(text.replace("role: wizard", "rol: ml_lead"));
    expect(!typo.ok && describeFieldErrors(typo.errors)).toContain(
      'line 7, policies.0.stages.0.steps.0.rol: Unrecognized key: "rol"',
    );
    const broken = parsePolicyDocument("policies:\n  - name: [unclosed\n");
    expect(!broken.ok && describeFieldErrors(broken.errors)[0]).toMatch(/^line \d+, _document: /);
    const unknownTeam = parsePolicyDocument(
      text
        .replace("role: wizard", "role: ml_lead")
        .replace("    stages:", "    conditions: { teams: [Nobody] }\n    stages:"),
    );
    expect(unknownTeam.ok && toStored(unknownTeam.doc, TEAMS)).toEqual({
      ok: false,
      errors: { "policies.0.conditions.teams.0": ['line 4: No team named "Nobody".'] },
    });
  });

  it("compares the chain a request got with the one a draft set builds", () => {
    const facts = {
      kind: "deployment" as const,
      environment: "production" as const,
      effectiveRisk: "medium" as const,
      emergency: false,
      teamId: TEAMS[0]!.id,
    };
    const taken = buildChain(stored, facts).map((s) => ({ ...s, status: "pending" }));
    expect(compareChains(taken, buildChain(stored, facts))).toEqual([]);
    const production = stored.find((p) => p.name === "Production deployments")!;
    const tighter = draftSet(stored, [
      {
        name: production.name,
        active: true,
        definition: {
          ...production.definition,
          stages: [production.definition.stages[0]!, [{ ...production.definition.stages[1]![0]!, quorum: 2 }]],
        },
      },
    ]);
    expect(compareChains(taken, buildChain(tighter, facts))).toEqual([
      { type: "quorum", step: "ML lead approval", role: "ml_lead", scope: "any", from: 1, to: 2 },
    ]);
    const without = draftSet(stored, [{ ...production, active: false }]);
    expect(compareChains(taken, buildChain(without, facts)).map((c) => c.type)).toEqual([
      "removed",
      "removed",
      "removed",
    ]);
  });
});

describe("who could decide a step (the editor's live count)", () => {
  const people = [
    { name: "Lee", roles: ["ml_lead" as const], teamIds: [] },
    { name: "Ana", roles: ["ml_lead" as const], teamIds: [] },
    { name: "Tom", roles: ["ml_lead" as const, "manager" as const], teamIds: [TEAMS[0]!.id] },
  ];
  it("counts holders of the role against the quorum, per team for the requester's team", () => {
    expect(eligibility({ role: "ml_lead", scope: "any", quorum: 2 }, people, TEAMS)).toEqual({
      text: "2 of 3 ML leads needed: Lee, Ana, Tom",
      short: false,
    });
    expect(eligibility({ role: "ml_lead", scope: "any", quorum: 4 }, people, TEAMS).short).toBe(true);
    expect(eligibility({ role: "security", scope: "any", quorum: 1 }, people, TEAMS)).toEqual({
      text: "Nobody holds the security reviewer role: this step could never complete.",
      short: true,
    });
    const teams = [...TEAMS, { id: "00000000-0000-4000-8000-000000000002", name: "Search" }];
    expect(eligibility({ role: "manager", scope: "requester_team", quorum: 1 }, people, teams)).toEqual({
      text: "Fraud: 1 of 1 manager (Tom) · Search: no manager. A team short of people could not get its requests through.",
      short: true,
    });
  });
});

describe("If-Match and the CLI's remote", () => {
  const withIfMatch = (value?: string) =>
    new Request("http://x/", value === undefined ? {} : { headers: { "if-match": value } });
  it("reads strong version tags; a weak or malformed one can never match", () => {
    expect(ifMatchVersions(withIfMatch())).toBeUndefined();
    expect(ifMatchVersions(withIfMatch("*"))).toBeUndefined();
    expect(ifMatchVersions(withIfMatch('"3"'))).toEqual([3]);
    expect(ifMatchVersions(withIfMatch('"3", "4"'))).toEqual([3, 4]);
    expect(ifMatchVersions(withIfMatch('W/"3"'))).toEqual([0]);
    expect(ifMatchVersions(withIfMatch("3"))).toEqual([0]);
  });
  it("GREENLIGHT_URL and GREENLIGHT_TOKEN go together", () => {
    expect(cliRemote({})).toBeUndefined();
    expect(cliRemote({ GREENLIGHT_URL: "https://g.example.com/", GREENLIGHT_TOKEN: "glt_x" })).toEqual({
      url: "https://g.example.com",
      token: "glt_x",
    });
    expect(() => cliRemote({ GREENLIGHT_URL: "https://g.example.com" })).toThrow(/set together/);
    expect(() => cliRemote({ GREENLIGHT_URL: "ftp://g", GREENLIGHT_TOKEN: "t" })).toThrow(/not an http/);
  });
});
