import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { beforeAll, expect, it, vi } from "vitest";
import type { Session } from "next-auth";
import { eq } from "drizzle-orm";
import { parseDocument as parseYaml } from "yaml";
import { teams } from "../../db/schema";
import { setBudget } from "../../lib/budgets/set-budget";
import { savePolicy } from "../../lib/policies/save-policy";
import { DEMO_USERS } from "../../lib/demo/seed";
import { createRequest } from "../../lib/requests/create-request";
import { createToken } from "../../lib/tokens/create-token";
import { ACTION_ACCESS, ROUTE_ACCESS } from "../support/access";
import { describeDb } from "../support/database";
import { actorFor, userId } from "../support/fixtures";
import { seedRegistry } from "../support/registry";
import { sampleParts } from "../support/samples";

// Thousands of generated bad inputs, sent to every /api/v1 route handler and every server action found
// on disk, by a caller allowed to reach the input's validation. None may answer 500, and every answer
// must be whole: parseable JSON (a problem document for a 4xx), never a body cut off mid-stream.
// The mutations come from the classes an earlier probe found (numbers past a column's range, control
// characters, unpaired surrogates, amounts too large for minor units, impossible dates, names past the
// index row limit) and generic ones (wrong types, nesting, odd keys). The generator is seeded: a failure
// names the case, and the same seed sends the same cases again.
const state = vi.hoisted(() => {
  // Thousands of calls on one token in a minute: the limit itself is tests/integration/rate-limits.test.ts's.
  process.env.API_RATE_LIMIT_PER_MINUTE = "10000000";
  return { session: null as Session | null, db: null as unknown };
});
vi.mock("../../lib/session/config", () => ({ auth: async () => state.session, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-forwarded-for": "203.0.113.9" }) }));
vi.mock("next-auth", () => ({ AuthError: class AuthError extends Error {} }));

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
/** While fixing: only the endpoints whose key matches (the full run sends every one). */
const ONLY = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : null;

// ---------------------------------------------------------------------------------------------------
// Discovery (the same walk as tests/integration/access-enumerated.test.ts)

const ROOT = path.resolve(import.meta.dirname, "../..");
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type RouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type ActionFunction = (argument: unknown) => Promise<unknown>;

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
const relative = (file: string) => path.relative(ROOT, file).split(path.sep).join("/");
const startsWithUseServer = (file: string) =>
  /^["']use server["']/.test(readFileSync(file, "utf8").replace(/^(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*/, ""));

type RouteEndpoint = { key: string; method: string; pattern: string; params: string[]; handler: RouteHandler };
type ActionEndpoint = { key: string; fn: ActionFunction };

const routes: RouteEndpoint[] = [];
for (const file of walk(path.join(ROOT, "app/api/v1"))
  .filter((f) => /^route\.(ts|tsx|js|mjs)$/.test(path.basename(f)))
  .sort()) {
  const exports = (await import(file)) as Record<string, unknown>;
  const segments = relative(path.dirname(file))
    .split("/")
    .slice(1)
    .filter((s) => !/^\(.*\)$/.test(s));
  const params = segments.flatMap((s) => /^\[(?:\.\.\.)?([^\]]+)\]$/.exec(s)?.[1] ?? []);
  const pattern = "/" + segments.map((s) => s.replace(/^\[(?:\.\.\.)?([^\]]+)\]$/, "{$1}")).join("/");
  for (const method of HTTP_METHODS) {
    const handler = exports[method];
    if (typeof handler === "function")
      routes.push({ key: `${method} ${pattern}`, method, pattern, params, handler: handler as RouteHandler });
  }
}
const actions: ActionEndpoint[] = [];
for (const file of walk(path.join(ROOT, "app"))
  .filter((f) => /\.(ts|tsx|js|mjs)$/.test(f) && (path.basename(f) === "actions.ts" || startsWithUseServer(f)))
  .sort()) {
  const exports = (await import(file)) as Record<string, unknown>;
  for (const [name, value] of Object.entries(exports))
    if (typeof value === "function") actions.push({ key: `${relative(file)}#${name}`, fn: value as ActionFunction });
}

// ---------------------------------------------------------------------------------------------------
// A seeded generator (mulberry32): the same seed, the same cases.

function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  return { next, int, pick };
}
type Random = ReturnType<typeof prng>;

const NASTY_CHARS = ["\u0000", "\u0001", "\u0007", "\u001b", "\u007f", "\ud800", "\udfff", "\u202e", "\ufeff", "💥"];
/** A random string from letters and the characters that broke things before. */
function randomText(r: Random): string {
  const length = r.pick([1, 3, 8, 40, 300]);
  let out = "";
  for (let i = 0; i < length; i++) out += r.next() < 0.25 ? r.pick(NASTY_CHARS) : String.fromCharCode(97 + r.int(26));
  return out;
}

function nested(depth: number, leaf: unknown = "x"): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? { a: value } : [value];
  return value;
}

// The six classes of the probe, then generic ones. Each is a value put in place of one field.
const TEXT_CLASS = [
  "bad\u0000nul",
  "\u0000",
  "bell\u0007ring",
  "esc\u001b[31m",
  "lone \ud800 high",
  "lone \udfff low",
  "\udc00\ud800",
  "x".repeat(3_000),
  "y".repeat(70_000),
  "ünïcødé 💥 ok",
  "  ",
];
const NUMBER_CLASS = [
  "99999999999",
  "CR-99999999999",
  "CR-2147483648",
  "2147483648",
  "9223372036854775808",
  "-9223372036854775809",
  "1e20",
  "1e400",
  "-1",
  "0",
  "-0",
  "1.5",
  "NaN",
  "Infinity",
  "0x10",
  "１２",
  99999999999,
  2147483648,
  1e20,
  -1,
  0.5,
];
const AMOUNT_CLASS = [
  "99999999999999999999999",
  "92233720368547758.08",
  "9223372036854775807",
  "-92233720368547758.09",
  "1e30",
  "1" + "0".repeat(400),
  "0." + "0".repeat(300) + "1",
  "12345678901234567.89",
  1e300,
  "12,500.00",
  "−5",
];
const DATE_CLASS = [
  "2031-02-30",
  "2031-13-01",
  "2031-00-10",
  "0000-01-01",
  "0001-01-01",
  "9999-12-31",
  "99999-01-01",
  "275760-09-14",
  "+275760-09-13",
  "-000001-01-01",
  "2031-02-29T25:00:00Z",
  "2031-1-1",
  "tomorrow",
  "2031-02-28\u0000",
];
const NAME_CLASS = [
  "a".repeat(215),
  "a".repeat(2_800),
  "n".repeat(9_000),
  "na\u0000me",
  "nam\ud800e",
  "UPPER_Case.Name",
];
const GENERIC: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  "",
  [],
  ["x", "y"],
  {},
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}'),
  nested(50),
  nested(3_000),
  "null",
  "undefined",
  "[object Object]",
  "' or 1=1 --",
  "%00",
  "../../etc/passwd",
];
const ALL_VALUES = [...TEXT_CLASS, ...NUMBER_CLASS, ...AMOUNT_CLASS, ...DATE_CLASS, ...NAME_CLASS, ...GENERIC];

/** Always sent to every field: one of each class every field must survive. */
const CORE: unknown[] = ["bad\u0000nul", "lone \ud800 high", "x".repeat(3_000), null, ["x", "y"]];

/**
 * The mutations of one field: the core, a seeded sample of each class its name suggests (numbers for
 * numbers, dates for dates...), and a few of everything else, so each run stays near 4,000 cases and 90 s an engine.
 */
function valuesFor(field: string, r: Random): unknown[] {
  const f = field.toLowerCase();
  const fit: unknown[] = [...CORE];
  const some = (list: readonly unknown[], n: number) => {
    const pool = list.filter((v) => !fit.includes(v));
    for (let i = 0; i < n && pool.length; i++) fit.push(pool.splice(r.int(pool.length), 1)[0]);
  };
  if (/number|page|before|quorum|sla|period|days|horizon|count|limit|request$/.test(f)) some(NUMBER_CLASS, 8);
  if (/amount|cost|price|rate|cash|spend|quantity|multiplier|bias/.test(f)) some(AMOUNT_CLASS, 6);
  if (/date|from$|^to$|at$|on$|start|end|modified|published/.test(f)) some(DATE_CLASS, 7);
  if (/name|version|package|range|model|id$/.test(f)) some(NAME_CLASS, 3);
  some(TEXT_CLASS, 2);
  some(GENERIC, 2);
  some(ALL_VALUES, 1);
  fit.push(randomText(r));
  return fit;
}

/** Manifest text that an earlier probe found answered 500 at insert (names past the index row limit). */
const MANIFEST_CONTENTS = [
  `${"a".repeat(3_000)}==1.0\n`,
  `numpy==${"9".repeat(3_000)}\n`,
  `numpy==1.0 ; python_version < "${"3".repeat(3_000)}"\n`,
  "num\u0000py==1.0\n",
  "num\ud800py==1.0\n",
  JSON.stringify({
    name: "x",
    lockfileVersion: 3,
    packages: { "": {}, [`node_modules/${"p".repeat(3_000)}`]: { version: "1.0.0" } },
  }),
  JSON.stringify({
    name: "x",
    lockfileVersion: 3,
    packages: { "": {}, "node_modules/left-pad": { version: "1".repeat(3_000) } },
  }),
  `[[package]]\nname = "${"t".repeat(3_000)}"\nversion = "1.0"\n`,
  `{"bomFormat":"CycloneDX","components":[{"type":"library","name":"${"c".repeat(3_000)}","version":"1","purl":"pkg:pypi/${"c".repeat(3_000)}@1"}]}`,
  "\u0000\u0000\u0000",
];

// ---------------------------------------------------------------------------------------------------
// What an allowed caller would send: every route and action needs an entry (the table test below).

type Ids = {
  fraudTeam: string;
  bob: string;
  budget: string;
  policy: string;
  number: string;
  endingNumber: string;
  today: string;
  monthStart: string;
};
type Sample = {
  /** The body (routes that take one), the query (GET routes) or the form's fields (actions). */
  input: Record<string, unknown>;
  /** Who calls: the demo person allowed to reach the input's validation (admins, unless it must be the owner). */
  as?: string;
  /** Fields to mutate beyond those of `input` (optional ones the valid input leaves out). */
  optional?: string[];
};
const ADMIN = "ada@example.com";
const REQUESTER = "alice@example.com";
const ACTIONS_TAKING_AN_OBJECT = new Set(["app/(app)/requests/actions.ts#previewChainAction"]);
const OSV_FILE = Symbol("osv-file");

function samples(ids: Ids): Record<string, Sample> {
  const {
    inAWeek,
    budget,
    spend,
    version,
    request,
    environment,
    groupMapping,
    groupMappingText,
    policy,
    policyDocument,
    mlflowConnection,
    mlflowPick,
  } = sampleParts(ids);
  const requestOptional = ["description", "emergency", "costBenefit", "provisioning"];
  const manifest = { fileName: "requirements.txt", content: "numpy==1.26.4\n" };
  const number = ids.number;
  const stages = JSON.stringify([[{ name: "Anyone", role: "requester", scope: "any", quorum: 1, slaHours: 24 }]]);
  const delegation = { to: "bob@example.com", startsAt: ids.today, endsAt: inAWeek };
  const allowlist = { ecosystem: "PyPI", name: "numpy", versionRange: "*", reason: "Trusted everywhere." };
  const tableSchemaSample = {
    fields: [
      { name: "id", type: "string", constraints: { required: true } },
      { name: "amount", type: "integer", constraints: { minimum: 0 }, "greenlight:unit": "cents" },
    ],
    primaryKey: ["id"],
    missingValues: [""],
  };
  return {
    "GET /api/v1/audit/export": {
      input: {
        format: "json",
        action: "request.created",
        actor: "ada",
        entityType: "request",
        from: ids.today,
        to: inAWeek,
      },
      optional: ["entityId", "before"],
    },
    "GET /api/v1/budgets": { input: { team: ids.fraudTeam } },
    "POST /api/v1/budgets": { input: budget },
    "GET /api/v1/budgets/{id}": { input: {} },
    "POST /api/v1/budgets/{id}/spend": { input: spend, optional: ["currency", "request"] },
    "POST /api/v1/cba/evaluate": {
      input: { currency: "USD", discountRate: "0.1", period: "year", cashFlows: ["-100", "60"] },
    },
    "GET /api/v1/delegations": { input: { user: "bob@example.com" } },
    "POST /api/v1/delegations": { input: delegation, as: REQUESTER, optional: ["role", "teamId", "reason"] },
    "DELETE /api/v1/delegations/{id}": { input: {} },
    "GET /api/v1/environments": { input: {} },
    "GET /api/v1/openapi.json": { input: {} },
    "POST /api/v1/environments": { input: environment },
    "GET /api/v1/environments/{name}": { input: {} },
    "PATCH /api/v1/environments/{name}": {
      input: { position: "20" },
      optional: ["description", "protected", "archived"],
    },
    "GET /api/v1/gate": { input: { model: "fraud-detector", version: "v1", environment: "production" } },
    ...Object.fromEntries(
      ["lead-time", "steps", "sla", "auto-pass", "rework"].map((figure) => [
        `GET /api/v1/insights/${figure}`,
        {
          input: {
            from: ids.monthStart,
            to: ids.today,
            team: ids.fraudTeam,
            kind: "deployment",
            environment: "staging",
          },
          optional: ["format"],
        },
      ]),
    ),
    "GET /api/v1/datasets": { input: { q: "amount" } },
    "POST /api/v1/datasets": { input: { name: "fuzzed-data", teamId: ids.fraudTeam }, optional: ["description"] },
    "GET /api/v1/datasets/{name}": { input: {} },
    "GET /api/v1/datasets/{name}/versions": { input: {} },
    "POST /api/v1/datasets/{name}/versions": {
      input: { version: "v1", tableSchema: tableSchemaSample },
      optional: ["note"],
    },
    "GET /api/v1/datasets/{name}/versions/{version}": { input: {} },
    "GET /api/v1/datasets/{name}/versions/{version}/table-schema": { input: {} },
    "GET /api/v1/datasets/{name}/diff": { input: { from: "v1", to: "v2" } },
    "app/(app)/datasets/actions.ts#createDatasetAction": {
      input: { name: "fuzzed-form-data", teamId: ids.fraudTeam },
      optional: ["description"],
    },
    "app/(app)/datasets/actions.ts#createDatasetVersionAction": {
      input: { dataset: "fraud-detector", version: "v1", tableSchema: JSON.stringify(tableSchemaSample) },
      optional: ["note"],
    },
    "GET /api/v1/models": { input: {} },
    "POST /api/v1/models": { input: { name: "fuzzed-model", teamId: ids.fraudTeam }, optional: ["description"] },
    "GET /api/v1/models/{name}/versions": { input: {} },
    "POST /api/v1/models/{name}/versions": {
      input: { ...version, hyperparameters: { lr: 0.1 }, metrics: { auc: 0.9 } },
      optional: ["gitCommit"],
    },
    "GET /api/v1/models/{name}/versions/{version}": { input: {} },
    "GET /api/v1/models/{name}/deployments": { input: {} },
    "POST /api/v1/models/{name}/environments/{environment}/rollback": {
      input: { note: "Latency regressed." },
      optional: ["version"],
    },
    "GET /api/v1/policies": { input: {} },
    "POST /api/v1/policies": { input: policy },
    "GET /api/v1/policies/{id}": { input: {} },
    "PUT /api/v1/policies/{id}": { input: policy },
    "DELETE /api/v1/policies/{id}": { input: {} },
    "GET /api/v1/policies/export": { input: { format: "yaml" } },
    "POST /api/v1/policies/apply": { input: { document: policyDocument, dryRun: true }, optional: ["prune"] },
    "POST /api/v1/policies/dry-run": {
      input: { days: 30, policies: [policy] },
      optional: ["document", "prune"],
    },
    "GET /api/v1/receipts/keys": { input: {} },
    "GET /api/v1/receipts/revoked": { input: {} },
    "GET /api/v1/requests/{number}/receipt": { input: {}, optional: ["download"] },
    "POST /api/v1/requests/{number}/outcome": { input: { outcome: "successful", note: "Fine." } },
    "GET /api/v1/requests": {
      input: { mine: "1", page: "1", q: "fraud", status: "draft", kind: "deployment", environment: "production" },
      optional: ["team"],
    },
    "POST /api/v1/requests": { input: request, optional: requestOptional },
    "GET /api/v1/requests/{number}": { input: {} },
    "PATCH /api/v1/requests/{number}": {
      input: { title: "Renamed by fuzz" },
      as: REQUESTER,
      optional: requestOptional,
    },
    "POST /api/v1/requests/{number}/comments": { input: { body: "Looks fine to me." }, as: REQUESTER },
    "POST /api/v1/requests/{number}/decisions": { input: { decision: "approve" }, optional: ["comment", "stepId"] },
    "POST /api/v1/requests/{number}/deployed": { input: {} },
    "GET /api/v1/requests/{number}/manifest": { input: {} },
    "POST /api/v1/requests/{number}/manifest": {
      input: manifest,
      as: REQUESTER,
      optional: ["format", "python", "includes"],
    },
    "POST /api/v1/requests/{number}/revoke": { input: { reason: "A problem found late." } },
    "POST /api/v1/requests/{number}/submit": { input: {}, as: REQUESTER },
    "POST /api/v1/requests/{number}/withdraw": { input: { reason: "No longer needed." }, as: REQUESTER },
    "POST /api/v1/requests/{number}/checks/{stepId}/override": {
      input: { reason: "The offline set is stale; shadow traffic is fine." },
    },
    "GET /api/v1/sso/group-mapping": { input: {} },
    "GET /api/v1/mlflow": { input: {} },
    "PUT /api/v1/mlflow/connection": { input: mlflowConnection, optional: ["clearToken", "databricksHost"] },
    "POST /api/v1/mlflow/models": { input: mlflowPick, optional: ["name"] },
    "POST /api/v1/mlflow/sync": { input: {} },
    "PUT /api/v1/sso/group-mapping": { input: groupMapping },
    "GET /api/v1/users": { input: {} },
    "POST /api/v1/users": {
      input: { email: "fuzzed@example.com", roles: ["requester"] },
      optional: ["name", "teamIds"],
    },
    "POST /api/v1/users/{id}/roles": { input: { role: "ml_lead" } },
    "DELETE /api/v1/users/{id}/roles/{role}": { input: {} },

    "app/(app)/actions.ts#signOutAction": { input: {} },
    "app/(app)/admin/actions.ts#setRoleAction": { input: { userId: ids.bob, role: "ml_lead", grant: "true" } },
    "app/(app)/admin/actions.ts#setTeamsAction": { input: { userId: ids.bob, teamIds: ids.fraudTeam } },
    "app/(app)/admin/actions.ts#deactivateAction": { input: { userId: randomUUID() } },
    "app/(app)/admin/actions.ts#reactivateAction": { input: { userId: ids.bob } },
    "app/(app)/admin/actions.ts#createUserAction": { input: { email: "fuzzed-form@example.com", roles: "requester" } },
    "app/(app)/admin/actions.ts#createTeamAction": { input: { name: "Fuzzed" } },
    "app/(app)/admin/actions.ts#renameTeamAction": { input: { teamId: ids.fraudTeam, name: "Fraud" } },
    "app/(app)/admin/actions.ts#savePolicyAction": {
      input: { name: "Fuzzed policy", active: "on", stages },
      optional: ["id", "description", "kinds", "environments", "minRisk", "costAtLeast", "costCurrency"],
    },
    "app/(app)/admin/actions.ts#setGroupMappingAction": { input: { rules: groupMappingText } },
    "app/(app)/admin/actions.ts#dryRunPolicyAction": {
      input: { name: "Fuzzed draft", active: "on", stages, days: "30" },
      optional: ["id", "description", "kinds", "environments", "minRisk", "emergency", "teamIds"],
    },
    "app/(app)/admin/outbox/actions.ts#retryNotificationAction": { input: { notificationId: randomUUID() } },
    "app/(app)/admin/mlflow/actions.ts#connectMlflowAction": {
      input: mlflowConnection,
      optional: ["clearToken", "databricksHost"],
    },
    "app/(app)/admin/mlflow/actions.ts#disconnectMlflowAction": { input: { confirm: "on" } },
    "app/(app)/admin/mlflow/actions.ts#pickMlflowModelAction": { input: mlflowPick, optional: ["name"] },
    "app/(app)/admin/mlflow/actions.ts#unpickMlflowModelAction": { input: { id: randomUUID() } },
    "app/(app)/admin/mlflow/actions.ts#setMlflowAliasAction": {
      input: { environment: "production", alias: "production" },
    },
    "app/(app)/admin/mlflow/actions.ts#syncMlflowNowAction": { input: {} },
    "app/(app)/budgets/actions.ts#setBudgetAction": { input: budget },
    "app/(app)/budgets/actions.ts#recordSpendAction": {
      input: { ...spend, budgetId: ids.budget },
      optional: ["currency", "request"],
    },
    "app/(app)/models/actions.ts#rollbackAction": {
      input: { model: "fraud-detector", environment: "staging", note: "Latency regressed." },
      optional: ["version"],
    },
    "app/(app)/environments/actions.ts#defineEnvironmentAction": { input: { ...environment, name: "canary-form" } },
    "app/(app)/environments/actions.ts#changeEnvironmentAction": {
      input: { name: "staging", position: "20", protected: "false", requiresDeployedIn: "", description: "Checks." },
      optional: ["archived"],
    },
    "app/(app)/models/actions.ts#createModelAction": { input: { name: "fuzzed-form-model", teamId: ids.fraudTeam } },
    "app/(app)/models/actions.ts#registerVersionAction": {
      input: { ...version, model: "fraud-detector", hyperparameters: "{}", metrics: "{}" },
    },
    "app/(app)/requests/actions.ts#createRequestAction": { input: request, optional: requestOptional },
    "app/(app)/requests/actions.ts#updateRequestAction": {
      input: { number, title: "Renamed by fuzz" },
      as: REQUESTER,
      optional: requestOptional,
    },
    "app/(app)/requests/actions.ts#submitAction": { input: { number }, as: REQUESTER },
    "app/(app)/requests/actions.ts#decideAction": { input: { number, decision: "approve" }, optional: ["comment"] },
    "app/(app)/requests/actions.ts#commentAction": { input: { number, body: "Looks fine to me." }, as: REQUESTER },
    "app/(app)/requests/actions.ts#withdrawAction": { input: { number: ids.endingNumber }, as: REQUESTER },
    "app/(app)/requests/actions.ts#overrideCheckAction": {
      input: { number, stepId: randomUUID(), reason: "The offline set is stale; shadow traffic is fine." },
    },
    "app/(app)/requests/actions.ts#deployedAction": { input: { number: ids.endingNumber } },
    "app/(app)/requests/actions.ts#outcomeAction": {
      input: { number: ids.endingNumber, outcome: "successful", note: "Fine." },
    },
    "app/(app)/requests/actions.ts#revokeAction": {
      input: { number: ids.endingNumber, reason: "A problem found late." },
    },
    "app/(app)/requests/actions.ts#previewChainAction": { input: request },
    "app/(app)/security/actions.ts#importAdvisoriesAction": {
      input: {
        file: {
          [OSV_FILE]: true,
          id: "GHSA-fuzz-0000-0001",
          modified: "2026-01-01T00:00:00Z",
          published: "2026-01-01T00:00:00Z",
          summary: "A fuzzed advisory",
          aliases: ["CVE-2026-0001"],
          affected: [{ package: { ecosystem: "PyPI", name: "numpy" }, versions: ["1.26.4"] }],
        },
      },
    },
    "app/(app)/security/actions.ts#uploadManifestAction": { input: { number, ...manifest }, as: REQUESTER },
    "app/(app)/security/actions.ts#decidePackageAction": {
      input: { number, dependencyId: randomUUID(), decision: "approve", reason: "Widely used and pinned." },
      as: "sam@example.com",
    },
    "app/(app)/security/actions.ts#createAllowlistAction": {
      input: allowlist,
      optional: ["teamId", "action", "vulnerabilityIds", "expiresInDays"],
    },
    "app/(app)/security/actions.ts#revokeAllowlistAction": { input: { entryId: randomUUID() }, optional: ["reason"] },
    "app/(app)/security/actions.ts#setLicencePolicyAction": { input: { allowed: "MIT", denied: "GPL-3.0-only" } },
    "POST /api/v1/monitoring/alerts": {
      input: {
        version: "4",
        status: "firing",
        receiver: "greenlight",
        alerts: [
          {
            status: "firing",
            labels: {
              alertname: "HighErrorRate",
              model: "fraud-detector",
              model_version: "v1",
              environment: "staging",
            },
            annotations: { summary: "Error rate above 5%" },
            startsAt: "2026-12-03T09:00:00Z",
            endsAt: "0001-01-01T00:00:00Z",
            generatorURL: "http://prometheus.example.com:9090/graph",
            fingerprint: "f00dfeed",
          },
        ],
      },
      optional: ["groupLabels", "commonLabels", "commonAnnotations", "externalURL", "groupKey", "truncatedAlerts"],
    },
    "app/(app)/admin/monitoring/actions.ts#updateMonitoringSettingsAction": {
      input: {
        modelLabel: "model",
        versionLabel: "model_version",
        environmentLabel: "environment",
        defaultAction: "rollback",
      },
      optional: ["actions"],
    },
    "GET /api/v1/webhooks": { input: {} },
    "POST /api/v1/webhooks": {
      input: { url: "http://127.0.0.1:9/hooks", events: ["request.approved", "request.deployed"] },
      optional: ["description", "enabled"],
    },
    "GET /api/v1/webhooks/{id}": { input: {} },
    "PATCH /api/v1/webhooks/{id}": { input: { enabled: false }, optional: ["url", "events", "description"] },
    "DELETE /api/v1/webhooks/{id}": { input: {} },
    "GET /api/v1/webhooks/{id}/deliveries": { input: { status: "failed" }, optional: ["before"] },
    "GET /api/v1/webhooks/{id}/deliveries/{deliveryId}": { input: {} },
    "POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver": { input: {} },
    "app/(app)/admin/webhooks/actions.ts#createWebhookAction": {
      input: { url: "http://127.0.0.1:9/form", events: "request.approved" },
      optional: ["description"],
    },
    "app/(app)/admin/webhooks/actions.ts#updateWebhookAction": {
      input: { id: randomUUID(), url: "http://127.0.0.1:9/form", events: "request.approved" },
      optional: ["description", "enabled"],
    },
    "app/(app)/admin/webhooks/actions.ts#deleteWebhookAction": { input: { id: randomUUID() } },
    "app/(app)/admin/webhooks/actions.ts#redeliverWebhookAction": {
      input: { id: randomUUID(), deliveryId: randomUUID() },
    },
    "app/(app)/settings/actions.ts#createTokenAction": { input: { name: "ci" }, optional: ["expiresInDays"] },
    "app/(app)/settings/actions.ts#revokeTokenAction": { input: { tokenId: randomUUID() } },
    "app/(app)/settings/actions.ts#createDelegationAction": {
      input: delegation,
      as: REQUESTER,
      optional: ["role", "teamId", "reason"],
    },
    "app/(app)/settings/actions.ts#revokeDelegationAction": { input: { delegationId: randomUUID() } },
    "app/(app)/settings/notifications/actions.ts#setNotificationPreferenceAction": {
      input: { event: "budget_alert", mode: "digest" },
    },
    "app/sign-in/actions.ts#emailSignIn": { input: { email: "nobody@example.com", callbackUrl: "/" } },
    "app/sign-in/actions.ts#demoSignIn": { input: { email: "ada@example.com", callbackUrl: "/" } },
    "app/sign-in/actions.ts#ssoSignIn": { input: { callbackUrl: "/" } },
  };
}

/** A valid value for a dynamic segment: real rows where the seed has them. */
function paramSample(ids: Ids, key: string, name: string): string {
  if (name === "number") return /withdraw|revoke|deployed|outcome/.test(key) ? ids.endingNumber : ids.number;
  if (name === "name") return key.includes("/api/v1/environments/") ? "staging" : "fraud-detector";
  if (name === "version") return "v1";
  if (name === "role") return "ml_lead";
  if (name === "environment") return "staging";
  if (name === "id" && key.includes("/budgets/")) return ids.budget;
  if (name === "id" && key.includes("/policies/")) return ids.policy;
  if (name === "id" && key.includes("/users/")) return ids.bob;
  return randomUUID();
}
const PARAM_VALUES = [
  "CR-99999999999",
  "99999999999",
  "CR-2147483648",
  "CR-0",
  "CR--1",
  "-1",
  "1e20",
  "CR-1e3",
  "CR-1.5",
  "0x10",
  "not-a-uuid",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
  "bad\u0000nul",
  "lone\ud800",
  "x".repeat(3_000),
  "%00",
  "..",
  "",
  " ",
  "superuser",
];

// ---------------------------------------------------------------------------------------------------
// Cases

type Case = {
  name: string;
  endpoint: string;
  as: string;
  /** Routes: the params, and the body text or query; actions: the fields. */
  params?: Record<string, string>;
  fields: Record<string, unknown>;
  rawBody?: string;
};

const setField = (input: Record<string, unknown>, field: string, value: unknown) => {
  const copy: Record<string, unknown> = { ...input };
  Object.defineProperty(copy, field, { value, enumerable: true, writable: true, configurable: true });
  return copy;
};
const withoutField = (input: Record<string, unknown>, field: string) => {
  const { [field]: _, ...rest } = input;
  return rest;
};
const short = (v: unknown) => {
  let text: string;
  try {
    text = typeof v === "string" ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  } catch {
    text = String(v);
  }
  return text.length > 40 ? `${text.slice(0, 37)}…(${text.length})` : text;
};

/** Mutations inside nested values too: the first element of a list, each key of an object. */
function deepMutations(value: unknown, pathName: string, r: Random): { path: string; value: unknown }[] {
  const out: { path: string; value: unknown }[] = [];
  if (Array.isArray(value) && value.length) {
    for (const v of valuesFor(pathName, r).slice(0, 6))
      out.push({ path: `${pathName}[0]`, value: [v, ...value.slice(1)] });
    for (const inner of deepMutations(value[0], `${pathName}[0]`, r))
      out.push({ path: inner.path, value: [inner.value, ...value.slice(1)] });
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      for (const m of valuesFor(k, r).slice(0, 5))
        out.push({ path: `${pathName}.${k}`, value: setField(value as Record<string, unknown>, k, m) });
      for (const inner of deepMutations(v, `${pathName}.${k}`, r))
        out.push({ path: inner.path, value: setField(value as Record<string, unknown>, k, inner.value) });
    }
  }
  return out;
}

function casesFor(endpoint: string, sample: Sample, params: Record<string, string>, isRoute: boolean, r: Random) {
  const as = sample.as ?? ADMIN;
  const cases: Case[] = [];
  const add = (what: string, fields: Record<string, unknown>, extra: Partial<Case> = {}) =>
    cases.push({ name: `${endpoint} ${what}`, endpoint, as, params, fields, ...extra });
  const fieldNames = [...Object.keys(sample.input), ...(sample.optional ?? [])];
  for (const field of fieldNames) {
    const original = sample.input[field];
    if (field in sample.input) add(`without ${field}`, withoutField(sample.input, field));
    if (field === "content") {
      for (const content of MANIFEST_CONTENTS) add(`content=${short(content)}`, setField(sample.input, field, content));
    }
    if (original && typeof original === "object" && (original as Record<symbol, unknown>)[OSV_FILE]) {
      for (const m of deepMutations(withoutField(original as Record<string, unknown>, "x"), "osv", r))
        add(`${m.path} mutated`, setField(sample.input, field, { ...(m.value as object), [OSV_FILE]: true }));
      continue;
    }
    for (const value of valuesFor(field, r)) add(`${field}=${short(value)}`, setField(sample.input, field, value));
    if (original && typeof original === "object")
      for (const m of deepMutations(original, field, r))
        add(`${m.path} mutated`, setField(sample.input, field, m.value));
  }
  // Odd keys and whole-body shapes.
  add("with a __proto__ key", { ...sample.input, ...JSON.parse('{"__proto__": {"admin": true}}') });
  add("with a constructor key", { ...sample.input, constructor: { prototype: { admin: true } } });
  add("with a very long key", { ...sample.input, ["k".repeat(10_000)]: "v" });
  add("with a NUL in a key", { ...sample.input, "ke\u0000y": "v" });
  add("with a lone surrogate in a key", { ...sample.input, "ke\ud800y": "v" });
  add("with 5,000 extra keys", {
    ...sample.input,
    ...Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i])),
  });
  if (isRoute) {
    for (const rawBody of [
      "",
      "null",
      "[]",
      '"text"',
      "42",
      "{",
      '{"a":',
      "{}",
      "[".repeat(5_000) + "]".repeat(5_000),
      "\u0000",
      "\ud800",
    ])
      add(`body ${short(rawBody)}`, {}, { rawBody });
    for (const name of Object.keys(params))
      for (const value of PARAM_VALUES)
        add(`{${name}}=${short(value)}`, sample.input, { params: { ...params, [name]: value } });
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------------

describeDb("generated bad input never answers 500", (t) => {
  let ids: Ids;
  let table: Record<string, Sample>;
  const sessions = new Map<string, Session>();
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    const { db } = t();
    state.db = db;
    await seedRegistry(db);
    const [fraud] = await db.select().from(teams).where(eq(teams.name, "Fraud"));
    const today = new Date().toISOString().slice(0, 10);
    const monthStart = `${today.slice(0, 8)}01`;
    const { budget } = await setBudget(
      { db, actor: await actorFor(db, "maya@example.com") },
      { teamId: fraud!.id, interval: "month", periodStart: monthStart, currency: "USD", amount: "5000" },
    );
    const target = await savePolicy(
      { db, actor: await actorFor(db, ADMIN) },
      { ...sampleParts({ fraudTeam: fraud!.id, today, monthStart }).policy, name: "Fuzz target policy" },
    );
    const alice = { db, actor: await actorFor(db, REQUESTER) };
    const draft = { kind: "deployment", model: "fraud-detector", version: "v1", environment: "staging" } as const;
    const edited = await createRequest(alice, { ...draft, title: "Fuzzed and edited" });
    const ending = await createRequest(alice, { ...draft, title: "Fuzzed and ended" });
    ids = {
      fraudTeam: fraud!.id,
      bob: await userId(db, "bob@example.com"),
      budget: budget.id,
      policy: target.id,
      number: `CR-${edited.number}`,
      endingNumber: `CR-${ending.number}`,
      today,
      monthStart,
    };
    table = samples(ids);
    for (const { email } of DEMO_USERS) {
      const actor = await actorFor(db, email);
      const { id, name, roles, teamIds } = actor;
      sessions.set(email, { user: { id, email, name, roles, teamIds }, expires: "2099-01-01" });
      tokens.set(email, (await createToken({ db, actor }, { name: "fuzz" })).token);
    }
  });

  it("has a valid example input for every route and action found on disk (a new one needs an entry)", () => {
    const found = [...routes.map((r) => r.key), ...actions.map((a) => a.key)].sort();
    const listed = Object.keys(table).sort();
    expect({
      withoutAnEntry: found.filter((k) => !listed.includes(k)),
      staleEntries: listed.filter((k) => !found.includes(k)),
    }).toEqual({ withoutAnEntry: [], staleEntries: [] });
    // The same endpoints as the access table, so nothing is fuzzed that access-enumerated does not know.
    expect(found).toEqual(Object.keys({ ...ROUTE_ACCESS, ...ACTION_ACCESS }).sort());
  });

  /** Sends one route case and judges its answer; returns the status and what was wrong, if anything. */
  async function sendRoute(route: RouteEndpoint, c: Case): Promise<{ status: number; wrong?: string }> {
    const hasBody = route.method !== "GET" && route.method !== "HEAD" && route.method !== "DELETE";
    const query = hasBody
      ? ""
      : "?" +
        Object.entries(c.fields)
          .map(([k, v]) => {
            const text = typeof v === "string" ? v : (JSON.stringify(v) ?? "");
            // Lone surrogates cannot be percent-encoded as UTF-8: send them as the replacement a
            // client's encoder would (the route must still be safe with whatever arrives).
            const enc = (s: string) => encodeURIComponent(s.toWellFormed());
            return `${enc(k)}=${enc(text)}`;
          })
          .join("&");
    let body: string | undefined;
    if (hasBody) body = c.rawBody ?? JSON.stringify(c.fields);
    const request = new Request(`http://localhost${route.pattern.replace(/\{[^}]+\}/g, "x")}${query}`, {
      method: route.method,
      headers: {
        "content-type": "application/json",
        origin: "http://localhost",
        authorization: `Bearer ${tokens.get(c.as)!}`,
      },
      body,
    });
    const response = await route.handler(request, { params: Promise.resolve(c.params ?? {}) });
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      return { status: response.status, wrong: `body cut off: ${String(error)}` };
    }
    const type = response.headers.get("content-type") ?? "";
    if (response.status >= 500) return { status: response.status, wrong: text.slice(0, 300) };
    // The gate's "no" is its answer, not an error: 403 with {allowed: false, reason} (app/api/v1/gate).
    const gateSaysNo = route.key === "GET /api/v1/gate" && response.status === 403 && type === "application/json";
    if (response.status >= 400 && !gateSaysNo) {
      if (type !== "application/problem+json") return { status: response.status, wrong: `a ${type} error` };
    }
    try {
      if (type.includes("jsonl"))
        text
          .split("\n")
          .filter(Boolean)
          .forEach((line) => JSON.parse(line));
      else if (type.includes("json")) {
        const parsed = JSON.parse(text) as { status?: unknown };
        if (response.status >= 400 && !gateSaysNo && parsed.status !== response.status)
          return { status: response.status, wrong: "a problem document without its status" };
      } else if (type.startsWith("application/yaml")) {
        // The policy document (RFC 9512): whole when it parses as YAML with no error.
        if (parseYaml(text).errors.length) return { status: response.status, wrong: "unparseable YAML" };
      } else if (!type.startsWith("text/csv")) return { status: response.status, wrong: `answered ${type}` };
    } catch {
      return { status: response.status, wrong: `unparseable body: ${text.slice(-120)}` };
    }
    return { status: response.status };
  }

  const toForm = (fields: Record<string, unknown>) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) {
      if (value && typeof value === "object" && (value as Record<symbol, unknown>)[OSV_FILE]) {
        form.append(key, new File([JSON.stringify(value)], "osv.json"));
        continue;
      }
      for (const one of Array.isArray(value) ? value : [value])
        form.append(key, typeof one === "string" ? one : (JSON.stringify(one) ?? String(one)));
    }
    return form;
  };

  async function sendAction(action: ActionEndpoint, c: Case): Promise<{ status: number; wrong?: string }> {
    state.session = sessions.get(c.as)!;
    try {
      const result = (await action.fn(ACTIONS_TAKING_AN_OBJECT.has(action.key) ? c.fields : toForm(c.fields))) as
        { ok: boolean; status?: number; message?: string } | undefined;
      if (result?.ok === false) {
        const status = result.status ?? 0;
        return status >= 500 || status < 400 ? { status, wrong: result.message } : { status };
      }
      return { status: 200 };
    } catch (error) {
      const digest = (error as { digest?: unknown } | null)?.digest;
      // Next's redirect() and notFound() throw by design; anything else escaping an action is a bug.
      if (typeof digest === "string" && digest.startsWith("NEXT_REDIRECT")) return { status: 303 };
      if (typeof digest === "string" && digest.startsWith("NEXT_HTTP_ERROR_FALLBACK;404")) return { status: 404 };
      return {
        status: 500,
        wrong: `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      };
    }
  }

  it("sends thousands of generated bad inputs to every route and action: none answers 500 or a broken body", async () => {
    const r = prng(SEED);
    const byClass: Record<string, number> = {};
    const failures: string[] = [];
    let sent = 0;
    const started = Date.now();
    // The database's own refusal of a bad value is mapped to a 400 as a last line of defence
    // (lib/errors.ts isBadInputForDatabase), and logged: every one is a schema that let it through.
    let reachedTheDatabase = 0;
    let current: Case | undefined;
    const late: string[] = [];
    const unexpected: string[] = [];
    const timing: [string, number][] = [];
    const errorLog = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      if (String(args[0]).includes("bad input reached the database")) {
        reachedTheDatabase++;
        late.push(`${current?.name}: ${String(args[0]).slice(0, 300)}`);
      } else unexpected.push(`${current?.name}: ${String(args[0]).slice(0, 600)}`);
    });
    const judge = (c: Case, outcome: { status: number; wrong?: string }) => {
      sent++;
      const cls = `${Math.floor(outcome.status / 100)}xx`;
      byClass[cls] = (byClass[cls] ?? 0) + 1;
      if (outcome.wrong !== undefined || outcome.status >= 500)
        failures.push(`${c.name} as ${c.as.split("@")[0]}: ${outcome.status} ${outcome.wrong ?? ""}`);
    };
    // Ending verbs (withdraw, revoke, deployed, submit) last, so earlier cases still find the requests open.
    const ending = (key: string) => /withdraw|revoke|deployed|submit|deactivate/i.test(key);
    const orderedRoutes = [...routes].sort((a, b) => Number(ending(a.key)) - Number(ending(b.key)));
    const orderedActions = [...actions].sort((a, b) => Number(ending(a.key)) - Number(ending(b.key)));
    // PGlite is the same PostgreSQL compiled to WebAssembly, so its answers to bad input are the
    // PostgreSQL run's; at several times the cost per case it sends every third case of each route and
    // action (the first always), and the PostgreSQL run sends them all.
    const every = t().engine === "pglite" && !ONLY ? 3 : 1;
    let generated = 0;
    const mine = () => generated++ % every === 0;
    for (const route of orderedRoutes) {
      const sample = table[route.key];
      if (!sample || (ONLY && !ONLY.test(route.key))) continue;
      const params = Object.fromEntries(route.params.map((p) => [p, paramSample(ids, route.key, p)]));
      const at = Date.now();
      generated = 0; // each route's first case is always sent
      for (const c of casesFor(route.key, sample, params, true, r)) {
        if (!mine()) continue;
        current = c;
        judge(c, await sendRoute(route, c));
      }
      timing.push([route.key, Date.now() - at]);
    }
    for (const action of orderedActions) {
      const sample = table[action.key];
      if (!sample || (ONLY && !ONLY.test(action.key))) continue;
      const at = Date.now();
      generated = 0;
      for (const c of casesFor(action.key, sample, {}, false, r)) {
        if (!mine()) continue;
        current = c;
        judge(c, await sendAction(action, c));
      }
      timing.push([action.key, Date.now() - at]);
    }
    errorLog.mockRestore();
    const summary = {
      seed: SEED,
      engine: t().engine,
      cases: sent,
      byStatusClass: byClass,
      serverErrors: failures.filter((f) => / 5\d\d /.test(f)).length,
      brokenBodies: failures.filter((f) => !/ 5\d\d /.test(f)).length,
      refusedOnlyByTheDatabase: reachedTheDatabase,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    console.log(`[fuzz] ${JSON.stringify(summary)}`);
    if (process.env.FUZZ_TIMING)
      console.log(
        timing
          .sort((a, b) => b[1] - a[1])
          .slice(0, 15)
          .map(([k, ms]) => `${ms}ms ${k}`)
          .join("\n"),
      );
    if (process.env.FUZZ_OUT)
      writeFileSync(process.env.FUZZ_OUT, [...failures, "--- late", ...late, "--- logged", ...unexpected].join("\n"));
    if (!ONLY) expect(sent).toBeGreaterThan(2_000 / every);
    // The first errors the app logged say why, when a case did answer 500.
    expect(failures.slice(0, 200), unexpected.slice(0, 5).join("\n")).toEqual([]);
    expect(late.slice(0, 50)).toEqual([]);
    // Every route adds cases: ~5,500 take 150 s on PostgreSQL alone on 2 cores, more with both engines
    // running at once, past the suite's default 180 s.
  }, 420_000);
});
