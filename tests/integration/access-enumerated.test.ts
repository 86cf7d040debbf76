import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Session } from "next-auth";
import { eq } from "drizzle-orm";
import type { Db } from "../../db";
import {
  advisories,
  allowlistEntries,
  apiTokens,
  approvalPolicies,
  auditEvents,
  budgetSpend,
  budgets,
  changeRequests,
  comments,
  decisions,
  delegations,
  memberships,
  modelDeployments,
  models,
  modelVersions,
  notificationPreferences,
  notifications,
  orgSettings,
  teams,
  userRoles,
  users,
} from "../../db/schema";
import type { Role } from "../../db/schema/org";
import { setBudget } from "../../lib/budgets/set-budget";
import { savePolicy } from "../../lib/policies/save-policy";
import { DEMO_USERS } from "../../lib/demo/seed";
import { createRequest } from "../../lib/requests/create-request";
import { createToken } from "../../lib/tokens/create-token";
import { ACTION_ACCESS, ROUTE_ACCESS, type Access } from "../support/access";
import { describeDb } from "../support/database";
import { actorFor, userId } from "../support/fixtures";
import { seedRegistry } from "../support/registry";
import { sampleParts } from "../support/samples";

// Every /api/v1 route handler and every server action, found on disk rather than listed by hand, is
// called signed out (401), and those limited to roles are called by each demo person holding none
// of them, with a session and (routes) with that person's own API token (403). Who may call what is
// tests/support/access.ts; a new endpoint without an entry there fails the table test by name.
const state = vi.hoisted(() => ({ session: null as Session | null, db: null as unknown }));
vi.mock("../../lib/session/config", () => ({ auth: async () => state.session, signIn: vi.fn(), signOut: vi.fn() }));
vi.mock("../../lib/db", () => ({ getDb: async () => state.db }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
// The sign-in actions import AuthError, and next-auth itself cannot load outside Next.
vi.mock("next-auth", () => ({ AuthError: class AuthError extends Error {} }));

// ---------------------------------------------------------------------------------------------------
// Discovery

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

/** The file's first statement is the "use server" directive (comments and blank lines may come first). */
const startsWithUseServer = (file: string) =>
  /^["']use server["']/.test(readFileSync(file, "utf8").replace(/^(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*/, ""));

type RouteEndpoint = { key: string; method: string; pattern: string; params: string[]; handler: RouteHandler };
type ActionEndpoint = { key: string; name: string; file: string; fn: ActionFunction };

const routeFiles = walk(path.join(ROOT, "app/api/v1")).filter((f) => /^route\.(ts|tsx|js|mjs)$/.test(path.basename(f)));
const routeModules: { file: string; exports: Record<string, unknown> }[] = [];
const routes: RouteEndpoint[] = [];
for (const file of routeFiles.sort()) {
  const exports = (await import(file)) as Record<string, unknown>;
  routeModules.push({ file: relative(file), exports });
  // app/api/v1/requests/[number]/submit/route.ts -> /api/v1/requests/{number}/submit; (groups) vanish.
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

const actionFiles = walk(path.join(ROOT, "app")).filter(
  (f) => /\.(ts|tsx|js|mjs)$/.test(f) && (path.basename(f) === "actions.ts" || startsWithUseServer(f)),
);
const actionModules: { file: string; exports: Record<string, unknown> }[] = [];
const actions: ActionEndpoint[] = [];
for (const file of actionFiles.sort()) {
  const exports = (await import(file)) as Record<string, unknown>;
  actionModules.push({ file: relative(file), exports });
  for (const [name, value] of Object.entries(exports)) {
    if (typeof value === "function")
      actions.push({ key: `${relative(file)}#${name}`, name, file: relative(file), fn: value as ActionFunction });
  }
}

// ---------------------------------------------------------------------------------------------------
// The cases, generated from what was discovered (an endpoint missing from the table still gets its 401 case)

type Person = { email: string; label: string };
const accessOf = (key: string): Access | undefined => ROUTE_ACCESS[key] ?? ACTION_ACCESS[key];
const rolesOf = (key: string): readonly Role[] | null => {
  const access = accessOf(key);
  return Array.isArray(access) ? access : null;
};
/** Every demo person holding none of the roles. */
const refusedPeople = (roles: readonly Role[]): Person[] =>
  DEMO_USERS.filter((u) => !u.roles.some((r) => roles.includes(r))).map((u) => ({
    email: u.email,
    label: `${u.email.split("@")[0]} (${u.roles.join(", ")})`,
  }));
const withRefusedPeople = <T extends { key: string }>(endpoints: T[]) =>
  endpoints.flatMap((endpoint) => {
    const roles = rolesOf(endpoint.key);
    return roles ? refusedPeople(roles).map((person) => ({ endpoint, person, roles })) : [];
  });

const guardedRoutes = routes.filter((r) => accessOf(r.key) !== "public");
const guardedActions = actions.filter((a) => accessOf(a.key) !== "public");
const routeSignedOut = guardedRoutes.map((endpoint) => ({
  name: `${endpoint.key} refuses a signed-out caller (401)`,
  endpoint,
}));
const routeGarbageToken = guardedRoutes.map((endpoint) => ({
  name: `${endpoint.key} refuses a garbage bearer token (401)`,
  endpoint,
}));
const routeWrongRole = withRefusedPeople(routes).map((c) => ({
  ...c,
  name: `${c.endpoint.key} refuses ${c.person.label} signed in, needing ${c.roles.join(" or ")} (403)`,
}));
const routeWrongRoleToken = withRefusedPeople(routes).map((c) => ({
  ...c,
  name: `${c.endpoint.key} refuses ${c.person.label}'s bearer token, needing ${c.roles.join(" or ")} (403)`,
}));
const actionSignedOut = guardedActions.map((endpoint) => ({
  name: `${endpoint.key} refuses a signed-out caller (401)`,
  endpoint,
}));
const actionWrongRole = withRefusedPeople(actions).map((c) => ({
  ...c,
  name: `${c.endpoint.key} refuses ${c.person.label} signed in, needing ${c.roles.join(" or ")} (403)`,
}));

// ---------------------------------------------------------------------------------------------------
// Plausible inputs: what an allowed caller would send, so a missing check would show as a change

type Ids = {
  fraudTeam: string;
  bob: string;
  budget: string;
  policy: string;
  number: string;
  today: string;
  monthStart: string;
};
const ACTIONS_TAKING_AN_OBJECT = new Set(["app/(app)/requests/actions.ts#previewChainAction"]);

function samples(ids: Ids): Record<string, Record<string, unknown>> {
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
  const manifest = { fileName: "requirements.txt", content: "numpy==1.26.4\n" };
  const number = ids.number;
  const stages = JSON.stringify([[{ name: "Anyone", role: "requester", scope: "any", quorum: 1, slaHours: 24 }]]);
  const osv = JSON.stringify({
    id: "GHSA-enum-0000-0001",
    modified: "2026-01-01T00:00:00Z",
    affected: [{ package: { ecosystem: "PyPI", name: "numpy" }, versions: ["1.26.4"] }],
  });
  return {
    "GET /api/v1/audit/export": { format: "json" },
    "POST /api/v1/budgets": budget,
    "POST /api/v1/budgets/{id}/spend": spend,
    "GET /api/v1/delegations": { user: "bob@example.com" },
    "POST /api/v1/delegations": { to: "bob@example.com", startsAt: ids.today, endsAt: inAWeek },
    "POST /api/v1/cba/evaluate": { currency: "USD", discountRate: "0.1", period: "year", cashFlows: ["-100", "60"] },
    "POST /api/v1/environments": environment,
    "POST /api/v1/monitoring/alerts": {
      name: "HighErrorRate",
      status: "firing",
      model: "fraud-detector",
      environment: "staging",
    },
    "app/(app)/admin/monitoring/actions.ts#updateMonitoringSettingsAction": {
      defaultAction: "retrain",
      actions: "X: rollback",
    },
    "POST /api/v1/webhooks": { url: "http://127.0.0.1:9/hooks", events: ["request.approved"] },
    "PATCH /api/v1/webhooks/{id}": { enabled: false },
    "app/(app)/admin/webhooks/actions.ts#createWebhookAction": {
      url: "http://127.0.0.1:9/form",
      events: "request.approved",
    },
    "app/(app)/admin/webhooks/actions.ts#updateWebhookAction": { id: randomUUID(), events: "request.approved" },
    "app/(app)/admin/webhooks/actions.ts#deleteWebhookAction": { id: randomUUID() },
    "app/(app)/admin/webhooks/actions.ts#redeliverWebhookAction": { id: randomUUID(), deliveryId: randomUUID() },
    "PATCH /api/v1/environments/{name}": { description: "Pre-release checks." },
    "GET /api/v1/gate": { model: "fraud-detector", version: "v1", environment: "production" },
    "POST /api/v1/datasets": { name: "sneaky-data", teamId: ids.fraudTeam },
    "POST /api/v1/datasets/{name}/versions": { version: "v1", tableSchema: { fields: [{ name: "id" }] } },
    "app/(app)/datasets/actions.ts#createDatasetAction": { name: "sneaky-form-data", teamId: ids.fraudTeam },
    "app/(app)/datasets/actions.ts#createDatasetVersionAction": {
      dataset: "fraud-detector",
      version: "v1",
      tableSchema: '{"fields":[{"name":"id"}]}',
    },
    "POST /api/v1/models": { name: "sneaky-model", teamId: ids.fraudTeam },
    "POST /api/v1/models/{name}/versions": { ...version, hyperparameters: {}, metrics: {} },
    "POST /api/v1/policies": policy,
    "PUT /api/v1/policies/{id}": policy,
    "POST /api/v1/policies/apply": { document: policyDocument },
    "POST /api/v1/policies/dry-run": { days: 30, policies: [policy] },
    "GET /api/v1/requests": { mine: "true" },
    "POST /api/v1/requests": request,
    "PATCH /api/v1/requests/{number}": { title: "Renamed by someone else" },
    "POST /api/v1/requests/{number}/comments": { body: "Looks fine to me." },
    "POST /api/v1/requests/{number}/decisions": { decision: "approve" },
    "POST /api/v1/requests/{number}/manifest": manifest,
    "POST /api/v1/requests/{number}/revoke": { reason: "A problem found late." },
    "POST /api/v1/requests/{number}/outcome": { outcome: "successful", note: "Fine." },
    "POST /api/v1/models/{name}/environments/{environment}/rollback": { note: "Going back." },
    "POST /api/v1/requests/{number}/withdraw": { reason: "No longer needed." },
    "POST /api/v1/requests/{number}/checks/{stepId}/override": { reason: "The offline set is stale; ship it." },
    "PUT /api/v1/sso/group-mapping": groupMapping,
    "PUT /api/v1/mlflow/connection": mlflowConnection,
    "POST /api/v1/mlflow/models": mlflowPick,
    "POST /api/v1/users": { email: "sneaky@example.com", roles: ["admin"] },
    "POST /api/v1/users/{id}/roles": { role: "admin" },

    "app/(app)/admin/actions.ts#setRoleAction": { userId: ids.bob, role: "admin", grant: "true" },
    "app/(app)/admin/actions.ts#setTeamsAction": { userId: ids.bob, teamIds: ids.fraudTeam },
    "app/(app)/admin/actions.ts#deactivateAction": { userId: ids.bob },
    "app/(app)/admin/actions.ts#reactivateAction": { userId: ids.bob },
    "app/(app)/admin/actions.ts#createUserAction": { email: "sneaky@example.com", roles: "admin" },
    "app/(app)/admin/actions.ts#createTeamAction": { name: "Sneaky" },
    "app/(app)/admin/actions.ts#renameTeamAction": { teamId: ids.fraudTeam, name: "Sneaky" },
    "app/(app)/admin/actions.ts#savePolicyAction": { name: "Sneaky policy", active: "on", stages },
    "app/(app)/admin/actions.ts#setGroupMappingAction": { rules: groupMappingText },
    "app/(app)/admin/actions.ts#dryRunPolicyAction": { name: "Sneaky draft", active: "on", stages, days: "30" },
    "app/(app)/admin/outbox/actions.ts#retryNotificationAction": { notificationId: randomUUID() },
    "app/(app)/admin/mlflow/actions.ts#connectMlflowAction": mlflowConnection,
    "app/(app)/admin/mlflow/actions.ts#disconnectMlflowAction": { confirm: "on" },
    "app/(app)/admin/mlflow/actions.ts#pickMlflowModelAction": mlflowPick,
    "app/(app)/admin/mlflow/actions.ts#unpickMlflowModelAction": { id: randomUUID() },
    "app/(app)/admin/mlflow/actions.ts#setMlflowAliasAction": { environment: "production", alias: "production" },
    "app/(app)/budgets/actions.ts#setBudgetAction": budget,
    "app/(app)/budgets/actions.ts#recordSpendAction": { ...spend, budgetId: ids.budget },
    "app/(app)/environments/actions.ts#defineEnvironmentAction": { ...environment, name: "canary-form" },
    "app/(app)/environments/actions.ts#changeEnvironmentAction": { name: "staging", description: "Checks." },
    "app/(app)/models/actions.ts#createModelAction": { name: "sneaky-model", teamId: ids.fraudTeam },
    "app/(app)/models/actions.ts#registerVersionAction": {
      ...version,
      model: "fraud-detector",
      hyperparameters: "{}",
      metrics: "{}",
    },
    "app/(app)/requests/actions.ts#createRequestAction": request,
    "app/(app)/requests/actions.ts#updateRequestAction": { number, title: "Renamed by someone else" },
    "app/(app)/requests/actions.ts#submitAction": { number },
    "app/(app)/requests/actions.ts#decideAction": { number, decision: "approve" },
    "app/(app)/requests/actions.ts#commentAction": { number, body: "Looks fine to me." },
    "app/(app)/requests/actions.ts#withdrawAction": { number },
    "app/(app)/requests/actions.ts#overrideCheckAction": {
      number,
      stepId: randomUUID(),
      reason: "The offline set is stale; ship it.",
    },
    "app/(app)/requests/actions.ts#deployedAction": { number },
    "app/(app)/requests/actions.ts#revokeAction": { number, reason: "A problem found late." },
    "app/(app)/requests/actions.ts#outcomeAction": { number, outcome: "successful", note: "Fine." },
    "app/(app)/models/actions.ts#rollbackAction": {
      model: "fraud-detector",
      environment: "staging",
      note: "Going back.",
    },
    "app/(app)/requests/actions.ts#previewChainAction": request,
    "app/(app)/security/actions.ts#importAdvisoriesAction": { file: new File([osv], "osv.json") },
    "app/(app)/security/actions.ts#uploadManifestAction": { number, ...manifest },
    "app/(app)/security/actions.ts#decidePackageAction": {
      number,
      dependencyId: randomUUID(),
      decision: "approve",
      reason: "Widely used and pinned.",
    },
    "app/(app)/security/actions.ts#createAllowlistAction": {
      ecosystem: "PyPI",
      name: "numpy",
      versionRange: "*",
      reason: "Trusted everywhere.",
    },
    "app/(app)/security/actions.ts#revokeAllowlistAction": { entryId: randomUUID() },
    "app/(app)/security/actions.ts#setLicencePolicyAction": { allowed: "MIT", denied: "GPL-3.0-only" },
    "app/(app)/settings/actions.ts#createTokenAction": { name: "ci" },
    "app/(app)/settings/actions.ts#revokeTokenAction": { tokenId: randomUUID() },
    "app/(app)/settings/actions.ts#createDelegationAction": {
      to: "bob@example.com",
      startsAt: ids.today,
      endsAt: inAWeek,
    },
    "app/(app)/settings/actions.ts#revokeDelegationAction": { delegationId: randomUUID() },
    "app/(app)/settings/notifications/actions.ts#setNotificationPreferenceAction": {
      event: "budget_alert",
      mode: "digest",
    },
  };
}

/** A syntactically valid value for a dynamic segment: real rows where the seed has them. */
function paramSample(ids: Ids, pattern: string, name: string): string {
  if (name === "number") return ids.number;
  if (name === "name") return pattern.startsWith("/api/v1/environments/") ? "staging" : "fraud-detector";
  if (name === "version") return "v1";
  if (name === "role") return "requester";
  if (name === "environment") return "staging";
  if (name === "id" && pattern.startsWith("/api/v1/budgets/")) return ids.budget;
  if (name === "id" && pattern.startsWith("/api/v1/policies/")) return ids.policy;
  if (name === "id" && pattern.startsWith("/api/v1/users/")) return ids.bob;
  return randomUUID();
}

const toForm = (fields: Record<string, unknown>) => {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) form.append(key, one instanceof File ? one : String(one));
  }
  return form;
};

/** Whatever a refused call changed would show in one of these. */
async function footprint(db: Db) {
  const tables = {
    advisories,
    allowlistEntries,
    apiTokens,
    approvalPolicies,
    auditEvents,
    budgetSpend,
    budgets,
    changeRequests,
    comments,
    decisions,
    delegations,
    memberships,
    models,
    modelDeployments,
    modelVersions,
    notificationPreferences,
    notifications,
    orgSettings,
    teams,
    userRoles,
    users,
  };
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables)) counts[name] = await db.$count(table);
  counts.activeUsers = await db.$count(users, eq(users.active, true));
  counts.draftRequests = await db.$count(changeRequests, eq(changeRequests.status, "draft"));
  return counts;
}

describeDb("every route handler and server action refuses whom it should", (t) => {
  let ids: Ids;
  let inputs: Record<string, Record<string, unknown>>;
  const sessions = new Map<string, Session>();
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    const { db } = t();
    state.db = db;
    await seedRegistry(db);
    const [fraud] = await db.select().from(teams).where(eq(teams.name, "Fraud"));
    const today = new Date().toISOString().slice(0, 10);
    const monthStart = `${today.slice(0, 8)}01`;
    const maya = await actorFor(db, "maya@example.com");
    const { budget } = await setBudget(
      { db, actor: maya },
      { teamId: fraud!.id, interval: "month", periodStart: monthStart, currency: "USD", amount: "5000" },
    );
    const target = await savePolicy(
      { db, actor: await actorFor(db, "ada@example.com") },
      { ...sampleParts({ fraudTeam: fraud!.id, today, monthStart }).policy, name: "Access target policy" },
    );
    const draft = await createRequest(
      { db, actor: await actorFor(db, "alice@example.com") },
      {
        kind: "deployment",
        title: "Enumerated access",
        model: "fraud-detector",
        version: "v1",
        environment: "staging",
      },
    );
    ids = {
      fraudTeam: fraud!.id,
      bob: await userId(db, "bob@example.com"),
      budget: budget.id,
      policy: target.id,
      number: `CR-${draft.number}`,
      today,
      monthStart,
    };
    inputs = samples(ids);
    for (const { email } of DEMO_USERS) {
      const actor = await actorFor(db, email);
      const { id, name, roles, teamIds } = actor;
      sessions.set(email, { user: { id, email, name, roles, teamIds }, expires: "2099-01-01" });
      tokens.set(email, (await createToken({ db, actor }, { name: "enumerated-access" })).token);
    }
  });
  beforeEach(() => {
    state.session = null;
  });

  const callRoute = (route: RouteEndpoint, bearer?: string) => {
    const input = inputs[route.key] ?? {};
    const params = Object.fromEntries(route.params.map((p) => [p, paramSample(ids, route.pattern, p)]));
    const url = route.pattern.replace(/\{([^}]+)\}/g, (_, p: string) => encodeURIComponent(params[p]!));
    const hasBody = route.method !== "GET" && route.method !== "HEAD";
    const query = hasBody ? "" : `?${new URLSearchParams(input as Record<string, string>)}`;
    // From the app's own origin, as its pages would send it: the role, not the origin, must refuse.
    const headers: Record<string, string> = { "content-type": "application/json", origin: "http://localhost" };
    if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
    const request = new Request(`http://localhost${url}${query}`, {
      method: route.method,
      headers,
      body: hasBody ? JSON.stringify(input) : undefined,
    });
    return route.handler(request, { params: Promise.resolve(params) });
  };
  const expectProblem = async (response: Response, status: number) => {
    const text = await response.text();
    expect({ status: response.status, type: response.headers.get("content-type") }, text).toEqual({
      status,
      type: "application/problem+json",
    });
    expect(JSON.parse(text)).toMatchObject({ status });
  };
  /** An action's result; one that throws instead of answering is reported as what it threw. */
  const callAction = async (action: ActionEndpoint) => {
    const input = inputs[action.key] ?? {};
    try {
      return await action.fn(ACTIONS_TAKING_AN_OBJECT.has(action.key) ? input : toForm(input));
    } catch (error) {
      return { threw: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  };

  describe("discovery", () => {
    it("finds the /api/v1 route handlers and the server actions on disk", () => {
      expect(routeModules.length).toBeGreaterThan(0);
      expect(actionModules.length).toBeGreaterThan(0);
      const noMethod = routeModules.filter((m) => !HTTP_METHODS.some((v) => typeof m.exports[v] === "function"));
      expect(
        noMethod.map((m) => m.file),
        "route files exporting no HTTP method",
      ).toEqual([]);
    });

    it("every export of a server action file is an async function (Next's rule for 'use server')", () => {
      const bad = actionModules.flatMap((m) =>
        Object.entries(m.exports)
          .filter(([, v]) => typeof v !== "function" || v.constructor.name !== "AsyncFunction")
          .map(([name]) => `${m.file}#${name}`),
      );
      expect(bad).toEqual([]);
    });

    it("the access table lists exactly the route methods found (a new one needs an entry; a stale one goes)", () => {
      const found = routes.map((r) => r.key).sort();
      const listed = Object.keys(ROUTE_ACCESS).sort();
      expect({
        withoutAnEntry: found.filter((k) => !listed.includes(k)),
        staleEntries: listed.filter((k) => !found.includes(k)),
      }).toEqual({ withoutAnEntry: [], staleEntries: [] });
    });

    it("the access table lists exactly the server actions found (a new one needs an entry; a stale one goes)", () => {
      const found = actions.map((a) => a.key).sort();
      const listed = Object.keys(ACTION_ACCESS).sort();
      expect({
        withoutAnEntry: found.filter((k) => !listed.includes(k)),
        staleEntries: listed.filter((k) => !found.includes(k)),
      }).toEqual({ withoutAnEntry: [], staleEntries: [] });
    });
  });

  describe("refusals", () => {
    let before: Record<string, number>;
    beforeAll(async () => {
      before = await footprint(t().db);
    });

    for (const { name, endpoint } of routeSignedOut)
      it(name, async () => {
        await expectProblem(await callRoute(endpoint), 401);
      });

    for (const { name, endpoint } of routeGarbageToken)
      it(name, async () => {
        await expectProblem(await callRoute(endpoint, "glt_this-is-not-a-real-token-0123456789"), 401);
      });

    for (const { name, endpoint, person } of routeWrongRole)
      it(name, async () => {
        state.session = sessions.get(person.email)!;
        await expectProblem(await callRoute(endpoint), 403);
      });

    for (const { name, endpoint, person } of routeWrongRoleToken)
      it(name, async () => {
        await expectProblem(await callRoute(endpoint, tokens.get(person.email)!), 403);
      });

    for (const { name, endpoint } of actionSignedOut)
      it(name, async () => {
        expect(await callAction(endpoint)).toMatchObject({ ok: false, status: 401 });
      });

    for (const { name, endpoint, person } of actionWrongRole)
      it(name, async () => {
        state.session = sessions.get(person.email)!;
        expect(await callAction(endpoint)).toMatchObject({ ok: false, status: 403 });
      });

    it("none of the refused calls changed anything (audit log and every table touched, row counts)", async () => {
      expect(await footprint(t().db)).toEqual(before);
    });
  });
});
