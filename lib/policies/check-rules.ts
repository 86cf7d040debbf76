import { z } from "zod";
import { CHECK_FAIL_ACTIONS, CHECK_OPS, type CheckOp, type CheckRule, type StepCheck } from "@/db/schema/governance";

// Pure: the rules of an automated evaluation check (ADR 0024) and what they say about a model
// version beside the version live in the request's environment. Every rule answers with its figures
// in words ("auc 0.87 < 0.90: >= 0.90 required"), which become the step's reason, the audit event's
// data and the requester's email.

export const MAX_CHECK_RULES = 20;
export const MAX_REQUIRED_METRICS = 50;
const metricName = z
  .string({ error: "Name the metric." })
  .trim()
  .min(1, "Name the metric.")
  .max(100, "A metric name is at most 100 characters.");
const finite = (what: string) => z.number({ error: `${what} must be a number.` }).finite(`${what} must be finite.`);

/**
 * One rule, told apart by its keys: `requiredMetrics`, `noWorseThanLive` (with `metric`), or a
 * threshold (`metric`, `op`, `value`). Parsed as one object so a problem is named at its field
 * ("rules.0.op"), not as "none of three shapes matched".
 */
export const CheckRuleSchema = z
  .strictObject({
    metric: metricName.optional(),
    op: z.enum(CHECK_OPS, { error: "An operator is >=, >, <= or <." }).optional(),
    value: finite("The threshold").optional(),
    noWorseThanLive: z
      .strictObject({
        margin: finite("The margin").min(0, "The margin is 0 or more.").default(0),
        higherIsBetter: z.boolean({ error: "higherIsBetter is true or false." }).default(true),
      })
      .optional(),
    requiredMetrics: z
      .array(metricName)
      .min(1, "Name at least one metric.")
      .max(MAX_REQUIRED_METRICS, `At most ${MAX_REQUIRED_METRICS} metrics.`)
      .transform((list) => [...new Set(list)])
      .optional(),
  })
  .superRefine((rule, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (rule.requiredMetrics) {
      for (const key of ["metric", "op", "value", "noWorseThanLive"] as const)
        if (rule[key] !== undefined) issue(key, "A requiredMetrics rule names only the metrics.");
      return;
    }
    if (rule.metric === undefined) issue("metric", "Name the metric.");
    if (rule.noWorseThanLive) {
      for (const key of ["op", "value"] as const)
        if (rule[key] !== undefined) issue(key, "A noWorseThanLive rule has a margin, not an operator and value.");
      return;
    }
    if (rule.op === undefined) issue("op", "An operator is >=, >, <= or <.");
    if (rule.value === undefined) issue("value", "Give the threshold, e.g. 0.9.");
  })
  .transform((rule): CheckRule => {
    if (rule.requiredMetrics) return { requiredMetrics: rule.requiredMetrics };
    if (rule.noWorseThanLive) return { metric: rule.metric!, noWorseThanLive: rule.noWorseThanLive };
    return { metric: rule.metric!, op: rule.op!, value: rule.value! };
  });

export const CheckRulesSchema = z
  .array(CheckRuleSchema)
  .min(1, "A check step needs at least one rule.")
  .max(MAX_CHECK_RULES, `At most ${MAX_CHECK_RULES} rules in a check.`);
export const CheckFailSchema = z.enum(CHECK_FAIL_ACTIONS, { error: "onFail is reject or changes_requested." });

/** The version being asked about, and the one live in the request's environment (null: none is). */
export type CheckFacts = {
  environment: string;
  version: { label: string; metrics: Record<string, unknown> } | null;
  live: { label: string; metrics: Record<string, unknown> } | null;
};
export type RuleResult = { rule: CheckRule; passed: boolean; text: string };
export type CheckOutcome = { passed: boolean; results: RuleResult[]; reason: string };

const decimals = (n: number) => {
  const text = String(n);
  return text.includes("e") ? 6 : (text.split(".")[1]?.length ?? 0);
};
const placesOf = (...ns: number[]) => Math.min(6, Math.max(...ns.map(decimals)));
const shown = (n: number, places: number) => n.toFixed(places);

const HOLDS: Record<CheckOp, (a: number, b: number) => boolean> = {
  ">=": (a, b) => a >= b,
  ">": (a, b) => a > b,
  "<=": (a, b) => a <= b,
  "<": (a, b) => a < b,
};
const NEGATED: Record<CheckOp, CheckOp> = { ">=": "<", ">": "<=", "<=": ">", "<": ">=" };

type Read = { ok: true; value: number } | { ok: false; text: string };
function readMetric(metrics: Record<string, unknown>, metric: string, label: string): Read {
  if (!Object.hasOwn(metrics, metric) || metrics[metric] === null || metrics[metric] === undefined)
    return { ok: false, text: `${metric} missing from ${label}` };
  const value = metrics[metric];
  if (typeof value !== "number" || !Number.isFinite(value))
    return { ok: false, text: `${metric} of ${label} is not a number (${JSON.stringify(value)?.slice(0, 40)})` };
  return { ok: true, value };
}

/** One rule against the facts: passed or not, with its figures in words. */
export function evaluateRule(rule: CheckRule, facts: CheckFacts): RuleResult {
  const label = facts.version?.label ?? "the request";
  const metrics = facts.version?.metrics ?? {};
  if ("requiredMetrics" in rule) {
    const missing = rule.requiredMetrics.filter((m) => metrics[m] === undefined || metrics[m] === null);
    return missing.length
      ? { rule, passed: false, text: `missing from ${label}: ${missing.join(", ")}` }
      : { rule, passed: true, text: `present: ${rule.requiredMetrics.join(", ")}` };
  }
  const mine = readMetric(metrics, rule.metric, label);
  if (!mine.ok) return { rule, passed: false, text: mine.text };
  if ("op" in rule) {
    const places = placesOf(mine.value, rule.value);
    const [v, t] = [shown(mine.value, places), shown(rule.value, places)];
    return HOLDS[rule.op](mine.value, rule.value)
      ? { rule, passed: true, text: `${rule.metric} ${v} ${rule.op} ${t}` }
      : { rule, passed: false, text: `${rule.metric} ${v} ${NEGATED[rule.op]} ${t}: ${rule.op} ${t} required` };
  }
  const { margin, higherIsBetter } = rule.noWorseThanLive;
  // Nothing live to be worse than: the first version in an environment is the champion by default.
  if (!facts.live) return { rule, passed: true, text: `${rule.metric}: no live version in ${facts.environment}` };
  const theirs = readMetric(facts.live.metrics, rule.metric, `live ${facts.live.label}`);
  if (!theirs.ok) return { rule, passed: true, text: `${rule.metric}: ${theirs.text}, nothing to compare` };
  const places = placesOf(mine.value, theirs.value, margin);
  // Rounded at the figures' own precision: 0.93 - 0.91 is 0.02, not 0.020000000000000018.
  const worse = Number(((higherIsBetter ? 1 : -1) * (theirs.value - mine.value)).toFixed(places));
  const head = `${rule.metric} ${shown(mine.value, places)} vs live ${shown(theirs.value, places)} (${facts.live.label})`;
  if (worse <= 0)
    return {
      rule,
      passed: true,
      text: worse === 0 ? `${head}: the same` : `${head}: better by ${shown(-worse, places)}`,
    };
  const by = `worse by ${shown(worse, places)}, margin ${shown(margin, places)}`;
  return worse > margin
    ? { rule, passed: false, text: `${head}: ${by}` }
    : { rule, passed: true, text: `${head}: ${by}` };
}

/** Every rule of a check; it passes when all do. A request with no model version fails (nothing to check). */
export function evaluateCheck(check: StepCheck, facts: CheckFacts): CheckOutcome {
  if (!facts.version) {
    const text = "the request names no model version";
    return {
      passed: false,
      results: check.rules.map((rule) => ({ rule, passed: false, text })),
      reason: `Check failed: ${text}.`,
    };
  }
  const results = check.rules.map((rule) => evaluateRule(rule, facts));
  const failed = results.filter((r) => !r.passed);
  const reason = failed.length
    ? `Check failed: ${failed.map((r) => r.text).join("; ")}.`
    : `Check passed: ${results.map((r) => r.text).join("; ")}.`;
  return { passed: failed.length === 0, results, reason };
}

/** A rule as a policy reader sees it: "auc >= 0.9", "auc no worse than live by more than 0.01". */
export function describeRule(rule: CheckRule): string {
  if ("requiredMetrics" in rule) return `${rule.requiredMetrics.join(", ")} present`;
  if ("op" in rule) return `${rule.metric} ${rule.op} ${rule.value}`;
  const { margin, higherIsBetter } = rule.noWorseThanLive;
  return `${rule.metric} no worse than live by more than ${margin}${higherIsBetter ? "" : " (lower is better)"}`;
}
