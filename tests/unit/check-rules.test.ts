import { describe, expect, it } from "vitest";
import {
  CheckRuleSchema,
  CheckRulesSchema,
  describeRule,
  evaluateCheck,
  evaluateRule,
  type CheckFacts,
} from "../../lib/policies/check-rules";
import { buildChain } from "../../lib/policies/chain";
import { compareChains } from "../../lib/policies/dry-run";
import { PolicyStepSchema } from "../../lib/policies/schemas";
import { openChecks, stoppedBy } from "../../lib/requests/state";
import { linesToRules, ruleToLine } from "../../lib/policies/rule-lines";

const facts = (metrics: Record<string, unknown>, live?: Record<string, unknown>): CheckFacts => ({
  environment: "production",
  version: { label: "v4", metrics },
  live: live ? { label: "v3", metrics: live } : null,
});

describe("evaluation check rules", () => {
  it("thresholds: each operator, with the figures at a common precision", () => {
    const at = (op: ">=" | ">" | "<=" | "<", value: number, auc: number) =>
      evaluateRule({ metric: "auc", op, value }, facts({ auc }));
    expect(at(">=", 0.9, 0.87)).toMatchObject({ passed: false, text: "auc 0.87 < 0.90: >= 0.90 required" });
    expect(at(">=", 0.9, 0.9)).toMatchObject({ passed: true, text: "auc 0.9 >= 0.9" });
    expect(at(">", 0.9, 0.9)).toMatchObject({ passed: false, text: "auc 0.9 <= 0.9: > 0.9 required" });
    expect(at("<=", 0.1, 0.05)).toMatchObject({ passed: true, text: "auc 0.05 <= 0.10" });
    expect(at("<", 50, 55)).toMatchObject({ passed: false, text: "auc 55 >= 50: < 50 required" });
  });

  it("a metric missing or not a number fails its rule, saying which", () => {
    expect(evaluateRule({ metric: "auc", op: ">=", value: 0.9 }, facts({}))).toMatchObject({
      passed: false,
      text: "auc missing from v4",
    });
    expect(evaluateRule({ metric: "auc", op: ">=", value: 0.9 }, facts({ auc: "high" }))).toMatchObject({
      passed: false,
      text: 'auc of v4 is not a number ("high")',
    });
    expect(evaluateRule({ metric: "auc", op: ">=", value: 0.9 }, facts({ auc: null }))).toMatchObject({
      passed: false,
    });
    // An inherited name is not a metric.
    expect(evaluateRule({ metric: "toString", op: ">=", value: 0 }, facts({})).passed).toBe(false);
  });

  it("required metrics: present passes, any missing fails naming them", () => {
    const rule = { requiredMetrics: ["auc", "recall", "f1"] };
    expect(evaluateRule(rule, facts({ auc: 1, recall: 1, f1: 1 }))).toMatchObject({ passed: true });
    expect(evaluateRule(rule, facts({ auc: 1 }))).toMatchObject({
      passed: false,
      text: "missing from v4: recall, f1",
    });
  });

  it("champion/challenger: worse by more than the margin fails; within it, the same or better passes", () => {
    const rule = { metric: "auc", noWorseThanLive: { margin: 0.01, higherIsBetter: true } };
    expect(evaluateRule(rule, facts({ auc: 0.91 }, { auc: 0.93 }))).toMatchObject({
      passed: false,
      text: "auc 0.91 vs live 0.93 (v3): worse by 0.02, margin 0.01",
    });
    expect(evaluateRule(rule, facts({ auc: 0.92 }, { auc: 0.93 }))).toMatchObject({
      passed: true,
      text: "auc 0.92 vs live 0.93 (v3): worse by 0.01, margin 0.01",
    });
    expect(evaluateRule(rule, facts({ auc: 0.95 }, { auc: 0.93 }))).toMatchObject({
      passed: true,
      text: "auc 0.95 vs live 0.93 (v3): better by 0.02",
    });
    expect(evaluateRule(rule, facts({ auc: 0.93 }, { auc: 0.93 })).text).toBe("auc 0.93 vs live 0.93 (v3): the same");
    const latency = { metric: "p99_ms", noWorseThanLive: { margin: 5, higherIsBetter: false } };
    expect(evaluateRule(latency, facts({ p99_ms: 48 }, { p99_ms: 40 }))).toMatchObject({ passed: false });
    expect(evaluateRule(latency, facts({ p99_ms: 30 }, { p99_ms: 40 }))).toMatchObject({ passed: true });
  });

  it("champion/challenger with nothing live, or a live version without the metric, passes and says why", () => {
    const rule = { metric: "auc", noWorseThanLive: { margin: 0, higherIsBetter: true } };
    expect(evaluateRule(rule, facts({ auc: 0.5 }))).toMatchObject({
      passed: true,
      text: "auc: no live version in production",
    });
    expect(evaluateRule(rule, facts({ auc: 0.5 }, {}))).toMatchObject({
      passed: true,
      text: "auc: auc missing from live v3, nothing to compare",
    });
    // The challenger's own figure must still be there.
    expect(evaluateRule(rule, facts({}, { auc: 0.9 })).passed).toBe(false);
  });

  it("a check passes only when every rule does; its reason lists what failed, or everything when it passed", () => {
    const check = {
      onFail: "reject" as const,
      rules: [{ metric: "auc", op: ">=" as const, value: 0.9 }, { requiredMetrics: ["recall"] }],
    };
    expect(evaluateCheck(check, facts({ auc: 0.95, recall: 0.7 }))).toMatchObject({
      passed: true,
      reason: "Check passed: auc 0.95 >= 0.90; present: recall.",
    });
    expect(evaluateCheck(check, facts({ auc: 0.85 }))).toMatchObject({
      passed: false,
      reason: "Check failed: auc 0.85 < 0.90: >= 0.90 required; missing from v4: recall.",
    });
    const none = evaluateCheck(check, { environment: "staging", version: null, live: null });
    expect(none).toMatchObject({ passed: false, reason: "Check failed: the request names no model version." });
  });

  it("rules are described for people", () => {
    expect(describeRule({ metric: "auc", op: ">=", value: 0.9 })).toBe("auc >= 0.9");
    expect(describeRule({ metric: "auc", noWorseThanLive: { margin: 0.01, higherIsBetter: true } })).toBe(
      "auc no worse than live by more than 0.01",
    );
    expect(describeRule({ requiredMetrics: ["auc", "f1"] })).toBe("auc, f1 present");
  });
});

describe("check rules as a policy says them", () => {
  const issues = (value: unknown) => {
    const parsed = CheckRuleSchema.safeParse(value);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  it("each rule shape parses to its canonical form (defaults filled, duplicates dropped)", () => {
    expect(CheckRuleSchema.parse({ metric: " auc ", op: ">=", value: 0.9 })).toEqual({
      metric: "auc",
      op: ">=",
      value: 0.9,
    });
    expect(CheckRuleSchema.parse({ metric: "auc", noWorseThanLive: {} })).toEqual({
      metric: "auc",
      noWorseThanLive: { margin: 0, higherIsBetter: true },
    });
    expect(CheckRuleSchema.parse({ requiredMetrics: ["auc", "auc", "f1"] })).toEqual({
      requiredMetrics: ["auc", "f1"],
    });
  });

  it("a bad rule is named at its field", () => {
    expect(issues({ metric: "auc", op: "==", value: 1 })).toEqual(["op: An operator is >=, >, <= or <."]);
    expect(issues({ metric: "auc", op: ">=" })).toEqual(["value: Give the threshold, e.g. 0.9."]);
    expect(issues({ op: ">=", value: 1 })).toEqual(["metric: Name the metric."]);
    expect(issues({ metric: "auc", op: ">=", value: Infinity })).toHaveLength(1);
    expect(issues({ metric: "auc", noWorseThanLive: { margin: -0.1 } })).toEqual([
      "noWorseThanLive.margin: The margin is 0 or more.",
    ]);
    expect(issues({ metric: "auc", op: ">=", value: 1, noWorseThanLive: {} })).toHaveLength(2);
    expect(issues({ requiredMetrics: [] })).toEqual(["requiredMetrics: Name at least one metric."]);
    expect(issues({ requiredMetrics: ["auc"], metric: "auc" })).toEqual([
      "metric: A requiredMetrics rule names only the metrics.",
    ]);
    expect(issues({ metric: "auc", op: ">=", value: 1, typo: true })).toHaveLength(1);
    expect(issues({ metric: "x".repeat(101), op: ">=", value: 1 })).toHaveLength(1);
  });

  it("a check holds 1 to 20 rules", () => {
    expect(CheckRulesSchema.safeParse([]).success).toBe(false);
    expect(CheckRulesSchema.safeParse(Array.from({ length: 21 }, () => ({ requiredMetrics: ["a"] }))).success).toBe(
      false,
    );
  });

  it("a check step needs rules, takes no auto-pass, and gets quorum, SLA and onFail by default", () => {
    const step = PolicyStepSchema.parse({
      kind: "check",
      name: "Offline metrics",
      role: "ml_lead",
      scope: "any",
      rules: [{ requiredMetrics: ["auc"] }],
    });
    expect(step).toMatchObject({ quorum: 1, slaHours: 24, onFail: "reject", autoPass: "never" });
    const fail = (value: object) => {
      const parsed = PolicyStepSchema.safeParse({ name: "Offline", role: "ml_lead", scope: "any", ...value });
      return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join("."));
    };
    expect(fail({ kind: "check" })).toEqual(["rules"]);
    expect(fail({ kind: "check", rules: [{ requiredMetrics: ["a"] }], autoPass: "within_team_budget" })).toEqual([
      "autoPass",
    ]);
    expect(fail({ quorum: 1, slaHours: 24, rules: [{ requiredMetrics: ["a"] }] })).toEqual(["rules"]);
    expect(fail({ quorum: 1, slaHours: 24, onFail: "reject" })).toEqual(["onFail"]);
  });
});

describe("check steps in a chain", () => {
  const check = {
    kind: "check" as const,
    name: "Offline metrics",
    role: "ml_lead" as const,
    scope: "any" as const,
    quorum: 1,
    slaHours: 24,
    autoPass: "never",
    rules: [{ metric: "auc", op: ">=" as const, value: 0.9 }],
    onFail: "reject" as const,
  };
  const review = {
    name: "ML lead review",
    role: "ml_lead" as const,
    scope: "any" as const,
    quorum: 1,
    slaHours: 24,
    autoPass: "never",
  };
  const policy = (id: string, stages: object[][]) => ({
    id,
    name: id,
    version: 1,
    active: true,
    definition: { conditions: {}, stages: stages as never },
  });
  const request = {
    kind: "deployment" as const,
    environment: "production",
    effectiveRisk: "low" as const,
    emergency: false,
    teamId: "t",
  };

  it("never merges into a person's step of the same role; the same check twice is one step", () => {
    const chain = buildChain([policy("a", [[check], [review]]), policy("b", [[check]])], request);
    expect(chain.map((s) => `${s.stage}:${s.name}:${s.check ? "check" : "person"}`)).toEqual([
      "1:Offline metrics:check",
      "2:ML lead review:person",
    ]);
    expect(chain[0]!.policies.map((p) => p.id)).toEqual(["a", "b"]);
    expect(compareChains([], chain).map((c) => c.to)).toEqual(["stage 1, an automated check", "stage 2, 1 needed"]);
  });

  it("the checks to run are the pending ones whose stage is open; reject wins over changes requested", () => {
    const steps = [
      {
        id: "1",
        stage: 1,
        role: "ml_lead" as const,
        scope: "any" as const,
        quorum: 1,
        approvals: 0,
        status: "pending" as const,
        check: {},
      },
      {
        id: "2",
        stage: 2,
        role: "ml_lead" as const,
        scope: "any" as const,
        quorum: 1,
        approvals: 0,
        status: "pending" as const,
        check: {},
      },
    ];
    const facts = { requestedBy: "r", teamId: "t", emergency: false, environment: "production" };
    expect(openChecks(steps, facts).map((s) => s.id)).toEqual(["1"]);
    expect(openChecks(steps, { ...facts, emergency: true }).map((s) => s.id)).toEqual(["1", "2"]);
    expect(stoppedBy([])).toBeNull();
    expect(stoppedBy([{ onFail: "changes_requested" }])).toBe("changes_requested");
    expect(stoppedBy([{ onFail: "changes_requested" }, { onFail: "reject" }])).toBe("rejected");
  });
});

describe("rules as the policy editor writes them, one per line", () => {
  it("each shape reads back to the rule it was written from", () => {
    const rules = [
      { metric: "auc", op: ">=" as const, value: 0.9 },
      { metric: "loss", op: "<" as const, value: -0.5 },
      { metric: "auc", noWorseThanLive: { margin: 0.01, higherIsBetter: true } },
      { metric: "p99_ms", noWorseThanLive: { margin: 5, higherIsBetter: false } },
      { requiredMetrics: ["auc", "recall"] },
    ];
    const text = rules.map(ruleToLine).join("\n");
    expect(text).toBe(
      "auc >= 0.9\nloss < -0.5\nauc no worse than live by 0.01\np99_ms no worse than live by 5 (lower is better)\nauc, recall present",
    );
    expect(linesToRules(text)).toEqual({ rules, problems: [] });
    // Every line it reads is a rule the server accepts.
    expect(CheckRulesSchema.parse(linesToRules(text).rules)).toEqual(rules);
  });

  it("blank lines are skipped; a line that is no rule is named", () => {
    const read = linesToRules("auc >= 0.9\n\n  auc is good  \nauc no worse than live");
    expect(read.rules).toEqual([
      { metric: "auc", op: ">=", value: 0.9 },
      { metric: "auc", noWorseThanLive: { margin: 0, higherIsBetter: true } },
    ]);
    expect(read.problems).toEqual([expect.stringMatching(/^Line 3 \("auc is good"\) is not a rule/)]);
    expect(linesToRules("auc no worse than live by -1").problems).toHaveLength(1);
  });
});
