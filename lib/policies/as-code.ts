import { Document, isNode, LineCounter, parseDocument, type Node } from "yaml";
import { z } from "zod";
import type { PolicyDefinition, PolicyStep } from "@/db/schema/governance";
import type { FieldErrors } from "../errors";
import {
  CHECK_STEP_DEFAULTS,
  decidable,
  PolicyConditionsSchema,
  PolicyDefinitionSchema,
  PolicyStepFields,
  withCheckDefaults,
} from "./schemas";

// Pure: policies as one document people keep in git (YAML, comments allowed, or JSON), the plan that
// applying it makes (add / change / unchanged / deactivate, keyed by policy name), and the line of
// each problem. The database side is lib/policies/apply-policies.ts.

export const POLICY_FORMATS = ["yaml", "json"] as const;
export type PolicyFormat = (typeof POLICY_FORMATS)[number];
/** A document names at most this many policies: applying it is bounded work. */
export const MAX_POLICIES_IN_DOCUMENT = 200;

/** A policy as the database holds it, with the teams its conditions may name. */
export type StoredPolicy = {
  id: string;
  name: string;
  description: string;
  version: number;
  active: boolean;
  definition: PolicyDefinition;
};
export type TeamRef = { id: string; name: string };

// In a document, conditions name teams by name (ids differ between installations) and each stage is
// {steps: [...]}: lists of lists read badly in YAML. Unknown keys are refused: a typo ("rol:") must
// not silently become "any role".
const CodeStep = z.preprocess(withCheckDefaults, decidable(PolicyStepFields.strict()));
const Cost = PolicyConditionsSchema.shape.costAtLeast.unwrap();
const CodeConditions = PolicyConditionsSchema.omit({ teamIds: true, costAtLeast: true })
  .extend({
    teams: z.array(z.string().trim().min(1, "Name a team.")).max(100).optional(),
    // YAML reads `amount: 10000` as a number: take it as the decimal it spells.
    costAtLeast: Cost.extend({
      amount: z.union([z.number().nonnegative(), z.string()]).transform(String).pipe(Cost.shape.amount),
    })
      .strict()
      .optional(),
  })
  .strict();
const CodePolicy = z
  .object({
    name: z.string().trim().min(3, "Name the policy (3 characters or more).").max(80),
    description: z.string().trim().max(500).default(""),
    active: z.boolean().default(true),
    conditions: CodeConditions.default({}),
    stages: z
      .array(z.object({ steps: z.array(CodeStep).min(1, "A stage needs at least one step.").max(20) }).strict())
      .min(1, "A policy needs at least one stage.")
      .max(6, "At most 6 stages."),
  })
  .strict();
const CodeDocument = z
  .object({
    policies: z
      .array(CodePolicy)
      .max(MAX_POLICIES_IN_DOCUMENT, `At most ${MAX_POLICIES_IN_DOCUMENT} policies in one document.`),
  })
  .strict();
export type CodePolicy = z.output<typeof CodePolicy>;

/** A parsed document: its policies, and where in the text each field is (for errors found later). */
export type ParsedDocument = { policies: CodePolicy[]; at: (path: readonly PropertyKey[]) => string };

/** "policies.0.stages.1.steps.0.role" (the key field errors use everywhere in the app). */
export const fieldKey = (path: readonly PropertyKey[]) => path.map(String).join(".");

/**
 * Parses a policy document. JSON is read by the YAML parser too (YAML 1.2 is a superset), so both
 * get line numbers. Every problem is a field error "line N: message" at its path; the message of
 * the ValidationError the caller throws lists them with the field.
 */
export function parsePolicyDocument(
  text: string,
): { ok: true; doc: ParsedDocument } | { ok: false; errors: FieldErrors } {
  const lines = new LineCounter();
  const yaml = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (yaml.errors.length) {
    const errors: FieldErrors = {};
    for (const e of yaml.errors.slice(0, 20)) {
      const line = lines.linePos(e.pos[0]).line;
      (errors._document ??= []).push(`line ${line}: ${e.message.split("\n")[0]}`);
    }
    return { ok: false, errors };
  }
  const lineOf = (path: readonly PropertyKey[]): number => {
    // The deepest node that exists on the path: a missing field is reported at its parent.
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? yaml.contents : yaml.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && (node as Node).range) return lines.linePos((node as Node).range![0]).line;
    }
    return 1;
  };
  const at = (path: readonly PropertyKey[]) => `line ${lineOf(path)}`;
  const parsed = CodeDocument.safeParse(yaml.toJS({ maxAliasCount: 100 }) ?? {});
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues.slice(0, 50)) {
      const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]!] : issue.path;
      (errors[fieldKey(path) || "_document"] ??= []).push(`${at(path)}: ${issue.message}`);
    }
    return { ok: false, errors };
  }
  const errors: FieldErrors = {};
  const seen = new Set<string>();
  parsed.data.policies.forEach((p, i) => {
    if (seen.has(p.name.toLowerCase()))
      (errors[`policies.${i}.name`] ??= []).push(`${at(["policies", i, "name"])}: "${p.name}" is named twice.`);
    seen.add(p.name.toLowerCase());
  });
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, doc: { policies: parsed.data.policies, at } };
}

/** "line 12, policies.0.stages.1.steps.0.role: Choose a role." for each field error, for the terminal. */
export function describeFieldErrors(errors: FieldErrors): string[] {
  return Object.entries(errors).flatMap(([field, messages]) =>
    messages.map((m) => {
      const line = /^line (\d+): (.*)$/s.exec(m);
      return line ? `line ${line[1]}, ${field}: ${line[2]}` : `${field}: ${m}`;
    }),
  );
}

/**
 * A document policy as the database holds it: team names become ids (an unknown team is a field
 * error at its line, since a policy naming a team that does not exist would never match).
 */
export function toStored(
  doc: ParsedDocument,
  teams: readonly TeamRef[],
): { ok: true; policies: Omit<StoredPolicy, "id" | "version">[] } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const byName = new Map(teams.map((t) => [t.name.toLowerCase(), t.id]));
  const policies = doc.policies.map((p, i) => {
    const { teams: names, ...rest } = p.conditions;
    const teamIds = (names ?? []).map((name, j) => {
      const id = byName.get(name.toLowerCase()) ?? teams.find((t) => t.id === name)?.id;
      if (!id) {
        const path = ["policies", i, "conditions", "teams", j];
        (errors[fieldKey(path)] ??= []).push(`${doc.at(path)}: No team named "${name}".`);
      }
      return id ?? "";
    });
    const definition: PolicyDefinition = {
      conditions: { ...rest, ...(teamIds.length ? { teamIds } : {}) },
      stages: p.stages.map((s) => s.steps),
    };
    return { name: p.name, description: p.description, active: p.active, definition };
  });
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, policies };
}

/** A stored policy as a document entry: stable key order, team names, stages as {steps}. */
function toCode(p: StoredPolicy, teams: readonly TeamRef[]) {
  const c = normalise(p.definition).conditions;
  const conditions: Record<string, unknown> = {};
  if (c.kinds) conditions.kinds = c.kinds;
  if (c.environments) conditions.environments = c.environments;
  if (c.minRisk) conditions.minRisk = c.minRisk;
  if (c.emergency !== undefined) conditions.emergency = c.emergency;
  if (c.teamIds) conditions.teams = c.teamIds.map((id) => teams.find((t) => t.id === id)?.name ?? id);
  if (c.hasCost !== undefined) conditions.hasCost = c.hasCost;
  if (c.usesChangedColumn !== undefined) conditions.usesChangedColumn = c.usesChangedColumn;
  if (c.costAtLeast) conditions.costAtLeast = { amount: c.costAtLeast.amount, currency: c.costAtLeast.currency };
  if (c.dependencies) {
    // A fixed key order, so an export of the same policy is the same text.
    const d = c.dependencies;
    const keys = ["malware", "typosquat", "vulnerabilityAtLeast", "deniedLicence", "newToOrg", "unpinned"] as const;
    const named = Object.fromEntries(keys.filter((k) => d[k] !== undefined).map((k) => [k, d[k]]));
    if (Object.keys(named).length) conditions.dependencies = named;
  }
  return {
    name: p.name,
    description: p.description,
    active: p.active,
    conditions,
    stages: p.definition.stages.map((stage) => ({
      steps: stage.map((s) => (s.kind === "check" ? checkToCode(s) : approvalToCode(s))),
    })),
  };
}

function approvalToCode(s: PolicyStep) {
  return {
    name: s.name,
    role: s.role,
    scope: s.scope,
    quorum: s.quorum,
    slaHours: s.slaHours,
    autoPass: s.autoPass ?? "never",
    ...(s.conflicts?.length ? { conflicts: s.conflicts } : {}),
  };
}

// A check step without the fields it has no use for (quorum and SLA at their defaults, no auto-pass).
function checkToCode(s: PolicyStep) {
  return {
    name: s.name,
    kind: "check",
    role: s.role,
    scope: s.scope,
    onFail: s.onFail ?? "reject",
    rules: (s.rules ?? []).map((rule) =>
      "requiredMetrics" in rule
        ? { requiredMetrics: rule.requiredMetrics }
        : "op" in rule
          ? { metric: rule.metric, op: rule.op, value: rule.value }
          : {
              metric: rule.metric,
              noWorseThanLive: {
                margin: rule.noWorseThanLive.margin,
                higherIsBetter: rule.noWorseThanLive.higherIsBetter,
              },
            },
    ),
    ...(s.quorum !== CHECK_STEP_DEFAULTS.quorum ? { quorum: s.quorum } : {}),
    ...(s.slaHours !== CHECK_STEP_DEFAULTS.slaHours ? { slaHours: s.slaHours } : {}),
    ...(s.conflicts?.length ? { conflicts: s.conflicts } : {}),
  };
}

/** Every policy as one document, ordered by name: exporting twice gives the same bytes. */
export function exportPolicyDocument(
  policies: readonly StoredPolicy[],
  teams: readonly TeamRef[],
  format: PolicyFormat,
): string {
  const sorted = [...policies].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const body = { policies: sorted.map((p) => toCode(p, teams)) };
  if (format === "json") return JSON.stringify(body, null, 2) + "\n";
  const doc = new Document(body);
  doc.commentBefore =
    " Greenlight approval policies (every policy, ordered by name).\n" +
    " Check a change:  npm run cli -- policies apply <this file> --dry-run\n" +
    " Apply it:        npm run cli -- policies apply <this file> [--prune]\n" +
    " Conditions left out match every request; steps in one stage run in parallel.";
  return doc.toString({ lineWidth: 0 });
}

// Order-insensitive lists and no empty ones: "kinds: []" and no kinds are the same policy.
function normalise(d: PolicyDefinition): PolicyDefinition {
  const parsed = PolicyDefinitionSchema.safeParse(d);
  const def = parsed.success ? (parsed.data as PolicyDefinition) : d;
  const c: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(def.conditions)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length) c[key] = [...value].sort();
    } else c[key] = value;
  }
  return {
    conditions: c as PolicyDefinition["conditions"],
    stages: def.stages.map((stage) =>
      stage.map((s) => ({
        ...s,
        // "approval" said or left out is the same step.
        kind: s.kind === "check" ? "check" : undefined,
        ...(s.kind === "check" ? { onFail: s.onFail ?? "reject" } : {}),
        autoPass: s.autoPass ?? "never",
        ...(s.conflicts?.length ? { conflicts: [...s.conflicts].sort() } : { conflicts: undefined }),
      })),
    ),
  };
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

export type PlanAction = "add" | "change" | "unchanged" | "deactivate";
export type PlanEntry = {
  name: string;
  action: PlanAction;
  /** The stored policy's id and version (null for an addition). */
  id: string | null;
  version: number | null;
  /** What differs, for "change": description, active, conditions, stages. */
  changed: string[];
};
export type Plan = {
  entries: PlanEntry[];
  counts: Record<PlanAction, number>;
  /** Active policies the document leaves out, kept because --prune was not given. */
  notInDocument: string[];
};

/**
 * What applying `desired` to `current` would do, keyed by name (case-insensitive): a policy equal to
 * the stored one stays at its version; one that differs gets a new version; one not stored is
 * added. A stored active policy missing from the document is deactivated only with `prune`.
 */
export function planApply(
  current: readonly StoredPolicy[],
  desired: readonly Omit<StoredPolicy, "id" | "version">[],
  options: { prune: boolean },
): Plan {
  const byName = new Map(current.map((p) => [p.name.toLowerCase(), p]));
  const entries: PlanEntry[] = [];
  const named = new Set<string>();
  for (const want of desired) {
    named.add(want.name.toLowerCase());
    const have = byName.get(want.name.toLowerCase());
    if (!have) {
      entries.push({ name: want.name, action: "add", id: null, version: null, changed: [] });
      continue;
    }
    const a = normalise(have.definition);
    const b = normalise(want.definition);
    const changed = [
      ...(have.name !== want.name ? ["name"] : []),
      ...(have.description !== want.description ? ["description"] : []),
      ...(have.active !== want.active ? ["active"] : []),
      ...(canonical(a.conditions) !== canonical(b.conditions) ? ["conditions"] : []),
      ...(canonical(a.stages) !== canonical(b.stages) ? ["stages"] : []),
    ];
    entries.push({
      name: want.name,
      action: changed.length ? "change" : "unchanged",
      id: have.id,
      version: have.version,
      changed,
    });
  }
  const notInDocument: string[] = [];
  for (const have of [...current].sort((x, y) => (x.name < y.name ? -1 : 1))) {
    if (named.has(have.name.toLowerCase()) || !have.active) continue;
    if (options.prune)
      entries.push({ name: have.name, action: "deactivate", id: have.id, version: have.version, changed: ["active"] });
    else notInDocument.push(have.name);
  }
  const counts = { add: 0, change: 0, unchanged: 0, deactivate: 0 };
  for (const e of entries) counts[e.action]++;
  return { entries, counts, notInDocument };
}

/** The plan as the terminal prints it. */
export function describePlan(plan: Plan): string[] {
  const sign: Record<PlanAction, string> = { add: "+", change: "~", unchanged: "=", deactivate: "-" };
  const lines = plan.entries.map((e) => {
    const at = e.version ? ` (version ${e.version}${e.action === "change" ? ` -> ${e.version + 1}` : ""})` : "";
    const what = e.action === "change" ? `: ${e.changed.join(", ")}` : "";
    return `  ${sign[e.action]} ${e.action.padEnd(10)} ${e.name}${at}${what}`;
  });
  for (const name of plan.notInDocument)
    lines.push(`  ! kept       ${name} (not in the document; --prune deactivates it)`);
  const c = plan.counts;
  lines.push(`${c.add} to add, ${c.change} to change, ${c.unchanged} unchanged, ${c.deactivate} to deactivate`);
  return lines;
}
