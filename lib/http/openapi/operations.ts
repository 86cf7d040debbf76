import "server-only";
import { z } from "zod";
import { ROLES } from "@/db/schema/org";
import { AuditExportFilters } from "../../audit/queries";
import { BudgetListQuery } from "../../budgets/queries";
import { recordSpend } from "../../budgets/record-spend";
import { setBudget } from "../../budgets/set-budget";
import { analysisRequestSchema, cashFlowsRequestSchema } from "../../cba/schemas";
import { createDelegation } from "../../delegations/create-delegation";
import { DelegationsQuery } from "../../delegations/queries";
import { changeEnvironment } from "../../environments/change-environment";
import { createDataset } from "../../datasets/create-dataset";
import { createDatasetVersion } from "../../datasets/create-version";
import { DatasetSearch, DiffQuery } from "../../datasets/schemas";
import { createWebhook } from "../../webhooks/create-webhook";
import { AlertsPayload, MAX_ALERTS_PER_CALL } from "../../monitoring/schemas";
import { WebhookDeliveriesQuery } from "../../webhooks/schemas";
import { updateWebhook } from "../../webhooks/update-webhook";
import { defineEnvironment } from "../../environments/define-environment";
import { InsightQuery } from "../../insights/filters";
import { connectMlflow } from "../../mlflow/connect";
import { pickMlflowModel } from "../../mlflow/pick-model";
import { createModel } from "../../models/create-model";
import { registerVersion } from "../../models/register-version";
import { applyPolicies } from "../../policies/apply-policies";
import { POLICY_FORMATS } from "../../policies/as-code";
import { DryRunInput } from "../../policies/dry-run-history";
import { savePolicy } from "../../policies/save-policy";
import { addComment } from "../../requests/add-comment";
import { createRequest } from "../../requests/create-request";
import { decide } from "../../requests/decide";
import { GateQuery } from "../../requests/gate";
import { markDeployed } from "../../requests/mark-deployed";
import { RequestFilters } from "../../requests/queries";
import { recordOutcome } from "../../requests/record-outcome";
import { overrideCheck } from "../../requests/override-check";
import { revokeRequest } from "../../requests/revoke-request";
import { rollBack } from "../../requests/roll-back";
import { submitRequest } from "../../requests/submit-request";
import { updateRequest } from "../../requests/update-request";
import { uploadManifest } from "../../requests/upload-manifest";
import { withdrawRequest } from "../../requests/withdraw-request";
import { DependencyListQuery } from "../../security/dependency-list";
import { setGroupMapping } from "../../sso/set-group-mapping";
import { createUser } from "../../users/create-user";
import { grantRole } from "../../users/grant-role";
import type { Verb } from "../../verb";

// Every /api/v1 operation, described with the zod schemas its handler parses with: a verb's own
// `input` for bodies, the read functions' query schemas for queries. The document
// (lib/http/openapi/document.ts) is generated from this list; tests/integration/openapi.test.ts
// holds it to the route handlers on disk both ways, and calls every documented operation.

export type Method = "get" | "post" | "put" | "patch" | "delete";
export type Body = {
  schema: z.ZodType;
  /** Fields the handler fills from the path (`{ ...body, number }`), so they are not in the body. */
  fromPath?: readonly string[];
};
export type Operation = {
  method: Method;
  /** The OpenAPI path template: /api/v1/requests/{number}. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Who may call it, in words (the verb enforces it; tests/support/access.ts lists the same). */
  access: string;
  query?: z.ZodType;
  body?: Body;
  /** The success answer: status, what it holds and its media type (application/json unless said). */
  success: { status: number; description: string; contentType?: string | readonly string[] };
  /** Other answers that are not problems (the gate's no). */
  extra?: Record<number, { description: string; schema?: string }>;
  /** Problem statuses beyond the ones every operation can answer (401, 403, 429, 500). */
  problems?: readonly number[];
  /** Headers worth knowing on the answer, by name. */
  headers?: Record<string, string>;
  /** Request headers the operation reads. */
  requestHeaders?: Record<string, string>;
  /** Answers without a token or session. */
  public?: true;
};

const PATH_PARAMS: Record<string, { schema: z.ZodType; description: string }> = {
  // The handlers take "1042" or "CR-1042" (requestNumber parses both): documented as the text sent.
  number: {
    schema: z.string().regex(/^(CR-)?\d{1,10}$/i),
    description: "The request number: 1042 or CR-1042.",
  },
  name: { schema: z.string().min(1).max(63), description: "The model's (or environment's, or dataset's) name." },
  version: { schema: z.string().min(1).max(64), description: "The version label." },
  environment: { schema: z.string().min(1).max(63), description: "An environment's name." },
  id: { schema: z.uuid(), description: "The record's id (a UUID)." },
  role: { schema: z.enum(ROLES), description: "A role." },
  deliveryId: { schema: z.uuid(), description: "A delivery's id (a UUID), from the endpoint's delivery log." },
  stepId: { schema: z.uuid(), description: "A step's id (a UUID), from the request's steps." },
};
export const pathParameter = (name: string) => PATH_PARAMS[name];

const verbBody = (verb: Verb<unknown>, fromPath: readonly string[] = []): Body => ({ schema: verb.input, fromPath });

const ANY = "Any signed-in person (the verb checks the rules for the object).";
const ADMINS = "Admins.";
const BUDGET_HOLDERS = "Managers (their teams) and admins.";
const INSIGHT_READERS = "Managers (their teams), ML leads and admins.";
const DATASET_WRITERS = "Managers (their teams' datasets), ML leads and admins.";
const WRITE = [400, 404, 409, 413, 415] as const;
const CREATE = [400, 409, 413, 415] as const;
const READ_ONE = [404] as const;

const insight = (name: string, what: string): Operation => ({
  method: "get",
  path: `/api/v1/insights/${name}`,
  tag: "Insights",
  summary: what,
  description:
    "Figures over a period (at most 366 days, the last 12 weeks without dates); `format=csv` answers the rows behind them.",
  access: INSIGHT_READERS,
  query: InsightQuery,
  success: {
    status: 200,
    description: "The figures, the unit in each field name.",
    contentType: ["application/json", "text/csv"],
  },
  problems: [400],
});

const requestVerb = (
  verb: Verb<unknown>,
  name: string,
  summary: string,
  status: 200 | 201,
  access = ANY,
): Operation => ({
  method: "post",
  path: `/api/v1/requests/{number}/${name}`,
  tag: "Requests",
  summary,
  access,
  body: verbBody(verb, ["number"]),
  success: {
    status,
    description:
      "`result`: what the verb did; `request`: the request as it now stands (null if it could not be read back).",
  },
  problems: WRITE,
});

export const OPERATIONS: readonly Operation[] = [
  {
    method: "get",
    path: "/api/v1/openapi.json",
    tag: "Reference",
    summary: "This document (OpenAPI 3.1)",
    access: "Anyone: it describes the API and holds no data.",
    public: true,
    success: { status: 200, description: "The OpenAPI 3.1 document." },
  },
  // Requests and the gate
  {
    method: "get",
    path: "/api/v1/requests",
    tag: "Requests",
    summary: "List change requests",
    access: ANY,
    query: RequestFilters,
    success: { status: 200, description: "`requests`, `total`, `page`, `pages`." },
    problems: [400],
  },
  {
    method: "post",
    path: "/api/v1/requests",
    tag: "Requests",
    summary: "File a change request (a draft)",
    description:
      "With `digest`, the request is refused at that field unless the model version records exactly that artifact.",
    access: "Requesters (their teams' models) and admins.",
    body: verbBody(createRequest),
    success: { status: 201, description: "`number` (CR-…), `status`, `revision`." },
    problems: CREATE,
  },
  {
    method: "get",
    path: "/api/v1/requests/{number}",
    tag: "Requests",
    summary: "Read a request with its steps and decisions",
    access: ANY,
    success: { status: 200, description: "The request, its steps (each with its clock and decisions) and cost." },
    problems: READ_ONE,
  },
  {
    method: "patch",
    path: "/api/v1/requests/{number}",
    tag: "Requests",
    summary: "Edit a request (a seen one gets a new revision)",
    access: "Its requester.",
    body: verbBody(updateRequest, ["number"]),
    success: { status: 200, description: "The request as edited, with `approvalsReset`." },
    problems: WRITE,
  },
  requestVerb(submitRequest, "submit", "Send a draft for approval", 200, "Its requester."),
  requestVerb(decide, "decisions", "Decide on the open step: approve, reject or request changes", 201),
  requestVerb(addComment, "comments", "Comment (with @mentions)", 201),
  requestVerb(markDeployed, "deployed", "Record that the approved version was deployed", 200),
  requestVerb(withdrawRequest, "withdraw", "Withdraw a request", 200, "Its requester."),
  requestVerb(revokeRequest, "revoke", "Revoke an approval", 200, "ML leads, security and admins."),
  requestVerb(recordOutcome, "outcome", "Record how a deployment turned out (once)", 200),
  {
    ...requestVerb(
      overrideCheck,
      "checks/{stepId}/override",
      "Override a failed evaluation check, with a reason",
      200,
      "People holding the check step's role (in its scope), never the requester or the version's author.",
    ),
    description:
      "Passes a check step that stopped the request (rejected or sent back) and resumes the request where the check stopped it. The reason is recorded as the person's decision and audited with the check's figures.",
    body: verbBody(overrideCheck, ["number", "stepId"]),
  },
  {
    method: "get",
    path: "/api/v1/requests/{number}/manifest",
    tag: "Requests",
    summary: "The dependency manifest, a page at a time",
    access: ANY,
    query: DependencyListQuery,
    success: {
      status: 200,
      description:
        "One page of dependencies with findings, licences, signals and decisions; `counts` over the whole manifest.",
    },
    problems: [400, 404],
  },
  {
    method: "post",
    path: "/api/v1/requests/{number}/manifest",
    tag: "Requests",
    summary: "Upload the dependency manifest (reviewed at once)",
    access: "Its requester.",
    body: verbBody(uploadManifest, ["number"]),
    success: { status: 201, description: "The review: counts, findings and what needs a decision." },
    problems: WRITE,
  },
  {
    method: "get",
    path: "/api/v1/requests/{number}/receipt",
    tag: "Receipts",
    summary: "The signed approval receipt (DSSE envelope over an in-toto Statement v1)",
    access: ANY,
    query: z.object({ download: z.string().optional() }),
    success: { status: 200, description: "The envelope exactly as issued." },
    headers: { "Greenlight-Receipt-State": "valid, revoked or expired: the receipt's state now." },
    problems: READ_ONE,
  },
  {
    method: "get",
    path: "/api/v1/gate",
    tag: "Gate",
    summary: "May this exact model version ship to this environment?",
    description:
      "200 with the approving request when an approved, unexpired, unrevoked deployment request covers it; with `digest`, only for the version's recorded artifact.",
    access: "Any signed-in person (CI asks with a person's token).",
    query: GateQuery,
    success: { status: 200, description: "`allowed: true`, `approvedDigest`, `request`." },
    extra: {
      403: {
        description:
          "`allowed: false`, `reason`, `waiting` (a decision may still open it) and the `request` it is about.",
        schema: "GateRefusal",
      },
    },
    problems: [400],
  },
  {
    method: "get",
    path: "/api/v1/receipts/keys",
    tag: "Receipts",
    summary: "JWKS of every key that ever signed a receipt",
    access: ANY,
    success: { status: 200, description: "`keys`: Ed25519 OKP JWKs (RFC 8037)." },
  },
  {
    method: "get",
    path: "/api/v1/receipts/revoked",
    tag: "Receipts",
    summary: "Receipts that no longer vouch",
    access: ANY,
    success: { status: 200, description: "`receipts`: request, revision, digest, state, when and why." },
  },
  // Models and deployments
  {
    method: "get",
    path: "/api/v1/models",
    tag: "Models",
    summary: "List registered models",
    access: ANY,
    success: { status: 200, description: "`models`, each with its team and latest version." },
  },
  {
    method: "post",
    path: "/api/v1/models",
    tag: "Models",
    summary: "Register a model",
    access: "Requesters and ML leads (their teams) and admins.",
    body: verbBody(createModel),
    success: { status: 201, description: "The model." },
    problems: CREATE,
  },
  {
    method: "get",
    path: "/api/v1/models/{name}/versions",
    tag: "Models",
    summary: "A model's versions, newest first (at most 200)",
    access: ANY,
    success: { status: 200, description: "`model`, `versions`, `total`, `truncated`." },
    problems: READ_ONE,
  },
  {
    method: "post",
    path: "/api/v1/models/{name}/versions",
    tag: "Models",
    summary: "Register a model version (hyperparameters, dataset, metrics, artifact digest)",
    access: "Requesters and ML leads (their teams) and admins.",
    body: verbBody(registerVersion, ["model"]),
    success: { status: 201, description: "The version." },
    problems: WRITE,
  },
  {
    method: "get",
    path: "/api/v1/models/{name}/versions/{version}",
    tag: "Models",
    summary: "One version, with what is live beside it",
    access: ANY,
    success: { status: 200, description: "The version and its requests." },
    problems: READ_ONE,
  },
  {
    method: "get",
    path: "/api/v1/datasets",
    tag: "Data dictionary",
    summary: "List datasets (at most 500, by name); `q` searches names, descriptions and columns",
    access: ANY,
    query: DatasetSearch,
    success: {
      status: 200,
      description: "`datasets`, each with its team, latest version and column count; `truncated`.",
    },
    problems: [400],
  },
  {
    method: "post",
    path: "/api/v1/datasets",
    tag: "Data dictionary",
    summary: "Add a dataset (its columns come with its first version)",
    access: DATASET_WRITERS,
    body: verbBody(createDataset),
    success: { status: 201, description: "The dataset." },
    problems: CREATE,
  },
  {
    method: "get",
    path: "/api/v1/datasets/{name}",
    tag: "Data dictionary",
    summary: "A dataset: its versions (history, newest first, at most 200) and the model versions that use it",
    access: ANY,
    success: { status: 200, description: "The dataset, `versions`, `totalVersions`, `usedBy`." },
    problems: READ_ONE,
  },
  {
    method: "get",
    path: "/api/v1/datasets/{name}/versions",
    tag: "Data dictionary",
    summary: "A dataset's versions, newest first (at most 200)",
    access: ANY,
    success: { status: 200, description: "`dataset`, `versions`, `total`, `truncated`." },
    problems: READ_ONE,
  },
  {
    method: "post",
    path: "/api/v1/datasets/{name}/versions",
    tag: "Data dictionary",
    summary: "Add a dataset version from a Frictionless Table Schema (at most 2,000 fields)",
    description:
      "`tableSchema` is a Table Schema descriptor (fields with name, type, format, title, description, example, constraints; primaryKey; missingValues; foreignKeys). Greenlight's own column facts travel as field properties `greenlight:unit`, `greenlight:populatedBy`, `greenlight:owningTeam` and `greenlight:examples`. Errors name the JSON path (`tableSchema.fields[3].type`). Versions are immutable; a label already used is a 409. The owners and open requests' requesters of model versions using a changed column are emailed in the same transaction.",
    access: DATASET_WRITERS,
    body: verbBody(createDatasetVersion, ["dataset"]),
    success: { status: 201, description: "The version, and `affected`: the model versions and open requests told." },
    problems: WRITE,
  },
  {
    method: "get",
    path: "/api/v1/datasets/{name}/versions/{version}",
    tag: "Data dictionary",
    summary: "One dataset version with its column definitions",
    access: ANY,
    success: {
      status: 200,
      description: "The version: `columns`, `primaryKey`, `missingValues`, `foreignKeys`, `previous`.",
    },
    problems: READ_ONE,
  },
  {
    method: "get",
    path: "/api/v1/datasets/{name}/versions/{version}/table-schema",
    tag: "Data dictionary",
    summary: "A dataset version as a Frictionless Table Schema descriptor",
    access: ANY,
    success: { status: 200, description: "The Table Schema; importing it gives the same columns back." },
    problems: READ_ONE,
  },
  {
    method: "get",
    path: "/api/v1/datasets/{name}/diff",
    tag: "Data dictionary",
    summary: "Columns added, removed and changed between two versions (`from`, `to`)",
    access: ANY,
    query: DiffQuery,
    success: {
      status: 200,
      description: "`added`, `removed`, `changed` (each with the facts that changed, before and after).",
    },
    problems: [400, 404],
  },
  {
    method: "get",
    path: "/api/v1/models/{name}/deployments",
    tag: "Models",
    summary: "What is live per environment, the rollback on offer and the history",
    access: ANY,
    success: { status: 200, description: "Per environment: `live`, `rollback`, `history`." },
    problems: READ_ONE,
  },
  {
    method: "post",
    path: "/api/v1/models/{name}/environments/{environment}/rollback",
    tag: "Models",
    summary: "Put the previous (or a named) version live again",
    access: "The requester of what is live there, ML leads and admins.",
    body: verbBody(rollBack, ["model", "environment"]),
    success: { status: 200, description: "The rollback: what is live now and the request recorded." },
    problems: WRITE,
  },
  // Environments
  {
    method: "get",
    path: "/api/v1/environments",
    tag: "Environments",
    summary: "Environments in promotion order",
    access: ANY,
    success: { status: 200, description: "`environments`, with how many models are live in each." },
  },
  {
    method: "post",
    path: "/api/v1/environments",
    tag: "Environments",
    summary: "Add an environment",
    access: ADMINS,
    body: verbBody(defineEnvironment),
    success: { status: 201, description: "The environment." },
    problems: CREATE,
  },
  {
    method: "get",
    path: "/api/v1/environments/{name}",
    tag: "Environments",
    summary: "One environment: what is live and its deployment history",
    access: ANY,
    success: { status: 200, description: "The environment, its live versions and history." },
    problems: READ_ONE,
  },
  {
    method: "patch",
    path: "/api/v1/environments/{name}",
    tag: "Environments",
    summary: "Change an environment (position, protected, requirements, archived)",
    access: ADMINS,
    body: verbBody(changeEnvironment, ["name"]),
    success: { status: 200, description: "The environment as changed." },
    problems: WRITE,
  },
  // Budgets and the calculator
  {
    method: "get",
    path: "/api/v1/budgets",
    tag: "Budgets",
    summary: "Team budgets",
    access: BUDGET_HOLDERS,
    query: BudgetListQuery,
    success: { status: 200, description: "`budgets`, each with its position." },
    problems: [400],
  },
  {
    method: "post",
    path: "/api/v1/budgets",
    tag: "Budgets",
    summary: "Set a team's budget for a period",
    access: BUDGET_HOLDERS,
    body: verbBody(setBudget),
    success: { status: 201, description: "The budget, new for that period." },
    extra: { 200: { description: "The budget, replacing the period's earlier figure." } },
    problems: CREATE,
  },
  {
    method: "get",
    path: "/api/v1/budgets/{id}",
    tag: "Budgets",
    summary: "One budget with its spend",
    access: BUDGET_HOLDERS,
    success: { status: 200, description: "The budget, its position and spend entries." },
    problems: READ_ONE,
  },
  {
    method: "post",
    path: "/api/v1/budgets/{id}/spend",
    tag: "Budgets",
    summary: "Post actual spend into a budget",
    access: BUDGET_HOLDERS,
    body: verbBody(recordSpend, ["budgetId"]),
    success: { status: 201, description: "The spend entry and the budget's position." },
    problems: WRITE,
  },
  {
    method: "post",
    path: "/api/v1/cba/evaluate",
    tag: "Budgets",
    summary: "Cost-benefit calculator (stateless)",
    description: "Raw cash flows, or analysis-style items: NPV, IRR roots, paybacks, ROI, BCR, switching value.",
    access: ANY,
    body: { schema: z.union([cashFlowsRequestSchema, analysisRequestSchema]) },
    success: { status: 200, description: "The figures (decimal strings; null where undefined)." },
    problems: [400, 413, 415],
  },
  // Delegations
  {
    method: "get",
    path: "/api/v1/delegations",
    tag: "People",
    summary: "Delegations given and received",
    access: "Any signed-in person (their own; admins: `?user=`).",
    query: DelegationsQuery,
    success: { status: 200, description: "`given`, `received`." },
    problems: [400],
  },
  {
    method: "post",
    path: "/api/v1/delegations",
    tag: "People",
    summary: "Delegate your steps while away",
    access: ANY,
    body: verbBody(createDelegation),
    success: { status: 201, description: "The delegation." },
    problems: CREATE,
  },
  {
    method: "delete",
    path: "/api/v1/delegations/{id}",
    tag: "People",
    summary: "End a delegation now",
    access: "Its delegator, its delegate or an admin.",
    success: { status: 200, description: "The delegation as ended." },
    problems: [404, 409],
  },
  // People and SSO
  {
    method: "get",
    path: "/api/v1/users",
    tag: "People",
    summary: "Everyone, with roles and teams",
    access: ADMINS,
    success: { status: 200, description: "`users`." },
  },
  {
    method: "post",
    path: "/api/v1/users",
    tag: "People",
    summary: "Add a person",
    access: ADMINS,
    body: verbBody(createUser),
    success: { status: 201, description: "The person." },
    problems: CREATE,
  },
  {
    method: "post",
    path: "/api/v1/users/{id}/roles",
    tag: "People",
    summary: "Give a role",
    access: ADMINS,
    body: verbBody(grantRole, ["userId"]),
    success: { status: 201, description: "The change: the role given." },
    extra: { 200: { description: "They held the role already: nothing changed." } },
    problems: WRITE,
  },
  {
    method: "delete",
    path: "/api/v1/users/{id}/roles/{role}",
    tag: "People",
    summary: "Take a role away",
    access: ADMINS,
    success: {
      status: 200,
      description: "The change and the requests in flight nobody left can complete (`stranded`).",
    },
    problems: [400, 404, 409],
  },
  {
    method: "get",
    path: "/api/v1/sso/group-mapping",
    tag: "People",
    summary: "Directory group rules",
    access: ADMINS,
    success: { status: 200, description: "`rules` (group, roles, teams by name) and `groupsClaim`." },
  },
  {
    method: "put",
    path: "/api/v1/sso/group-mapping",
    tag: "People",
    summary: "Replace the directory group rules",
    access: ADMINS,
    body: verbBody(setGroupMapping),
    success: { status: 200, description: "The rules as stored." },
    problems: CREATE,
  },
  // MLflow registry sync (ADR 0022)
  {
    method: "get",
    path: "/api/v1/mlflow",
    tag: "MLflow",
    summary: "MLflow sync status",
    access: ADMINS,
    success: {
      status: 200,
      description:
        "`connection` (url, tokenSet — never the token —, databricksHost, syncing, progress, last sync), `models` picked, `aliases` per environment and `writeBacks` counts with recent problems.",
    },
  },
  {
    method: "put",
    path: "/api/v1/mlflow/connection",
    tag: "MLflow",
    summary: "Connect the MLflow tracking server",
    description:
      "Greenlight asks the server (registered-models/search) before saving: an address that does not answer like MLflow, or a token it refuses, is a 400 at that field. A blank token keeps the saved one.",
    access: ADMINS,
    body: verbBody(connectMlflow),
    success: { status: 200, description: "`url`, `tokenSet` and `databricksHost` as saved." },
    problems: CREATE,
  },
  {
    method: "post",
    path: "/api/v1/mlflow/models",
    tag: "MLflow",
    summary: "Pick a registered model for import",
    description: "Its versions are imported into the Greenlight model of that name (created for `teamId` if missing).",
    access: ADMINS,
    body: verbBody(pickMlflowModel),
    success: { status: 201, description: "`id`, `mlflowName` and the Greenlight `model`." },
    problems: WRITE,
  },
  {
    method: "post",
    path: "/api/v1/mlflow/sync",
    tag: "MLflow",
    summary: "Sync the MLflow registry now",
    access: ADMINS,
    success: { status: 202, description: "`queued`, and `alreadyRunning` when a sync was under way." },
    problems: READ_ONE,
  },
  // Policies
  {
    method: "get",
    path: "/api/v1/policies",
    tag: "Policies",
    summary: "Approval policies",
    access: ADMINS,
    success: { status: 200, description: "`policies`." },
  },
  {
    method: "post",
    path: "/api/v1/policies",
    tag: "Policies",
    summary: "Create a policy",
    access: ADMINS,
    body: verbBody(savePolicy, ["id", "expectedVersion", "ifMatch"]),
    success: { status: 201, description: "The policy." },
    headers: { ETag: 'The policy\'s version, quoted: "1".' },
    problems: CREATE,
  },
  {
    method: "get",
    path: "/api/v1/policies/{id}",
    tag: "Policies",
    summary: "A policy and its versions",
    access: ADMINS,
    success: { status: 200, description: "The policy with `versions`, newest first." },
    headers: { ETag: "The policy's current version, quoted." },
    problems: READ_ONE,
  },
  {
    method: "put",
    path: "/api/v1/policies/{id}",
    tag: "Policies",
    summary: "Save a new version of a policy",
    access: ADMINS,
    body: verbBody(savePolicy, ["id", "expectedVersion", "ifMatch"]),
    requestHeaders: { "If-Match": 'The version you edited, quoted ("3"): an older one is refused with 412.' },
    success: { status: 200, description: "The policy." },
    headers: { ETag: "The new version, quoted." },
    problems: [...WRITE, 412],
  },
  {
    method: "delete",
    path: "/api/v1/policies/{id}",
    tag: "Policies",
    summary: "Deactivate a policy (a new, inactive version)",
    access: ADMINS,
    requestHeaders: { "If-Match": "The version you saw, quoted: an older one is refused with 412." },
    success: { status: 200, description: "The policy." },
    problems: [404, 409, 412],
  },
  {
    method: "get",
    path: "/api/v1/policies/export",
    tag: "Policies",
    summary: "Every policy as one document (policies as code)",
    access: ADMINS,
    query: z.object({ format: z.enum(POLICY_FORMATS).default("yaml") }),
    success: {
      status: 200,
      description: "The document, ordered by name.",
      contentType: ["application/yaml", "application/json"],
    },
    problems: [400],
  },
  {
    method: "post",
    path: "/api/v1/policies/apply",
    tag: "Policies",
    summary: "Apply a policy document (or plan it with dryRun)",
    access: ADMINS,
    body: verbBody(applyPolicies),
    success: { status: 200, description: "`plan` (entries, counts, notInDocument) and `applied`." },
    problems: CREATE,
  },
  {
    method: "post",
    path: "/api/v1/policies/dry-run",
    tag: "Policies",
    summary: "Which recent requests would have had another chain under these drafts",
    access: ADMINS,
    body: { schema: DryRunInput },
    success: { status: 200, description: "`scanned`, `changed`, `byChange` and the list of changed requests." },
    problems: [400, 413, 415],
  },
  // Audit and insights
  {
    method: "get",
    path: "/api/v1/audit/export",
    tag: "Audit",
    summary: "The audit log (csv, json) or the whole chain with its checkpoints (jsonl)",
    access: ADMINS,
    query: AuditExportFilters,
    success: {
      status: 200,
      description:
        "A file: the filtered log, or (jsonl) every event, checkpoint and the public key, verifiable offline.",
      contentType: ["text/csv", "application/json", "application/jsonl"],
    },
    problems: [400],
  },
  insight("lead-time", "Lead time from submission to decision"),
  insight("steps", "Time each step took, by role and stage"),
  insight("sla", "Steps decided within their SLA"),
  insight("auto-pass", "Steps that passed by themselves, and why"),
  insight("rework", "Requests sent back for changes"),
  // Webhooks
  {
    method: "post",
    path: "/api/v1/monitoring/alerts",
    tag: "Monitoring",
    summary: "Receive monitoring alerts (Alertmanager webhook payload version 4, or the generic form)",
    description: `Alertmanager's webhook payload (a list of \`alerts\` with a top-level \`version\`, which must be "4") or the generic form, one alert \`{name, status, model, environment, version?, id?, summary?, url?}\` or \`{alerts: [...]}\`; at most ${MAX_ALERTS_PER_CALL} alerts per call (set max_alerts). Alert labels name the model, version and environment (label names set by admins; default model, model_version, environment). A firing alert on a live version opens a rollback or retraining request (filed by the system for the model's team, submitted so policy routes it); the same fingerprint firing again is added to it; a resolved alert is noted on it. Alerts naming no model, an unknown one, or a version not live are answered as ignored with the reason, not refused, since Alertmanager retries what is not 2xx.`,
    access: "Admins and ML leads.",
    body: { schema: AlertsPayload, fromPath: [] },
    success: {
      status: 200,
      description:
        "`received` and `alerts`: per alert its `fingerprint`, `outcome` (opened, added, repeat, resolved, ignored), `request` (the number, or null), `action` and `detail` in words.",
    },
    problems: [400, 413, 415],
  },
  {
    method: "get",
    path: "/api/v1/webhooks",
    tag: "Webhooks",
    summary: "Webhook endpoints and the events on offer",
    access: ADMINS,
    success: {
      status: 200,
      description: "`endpoints` (never their secrets, with the last day's delivery counts) and `events`.",
    },
  },
  {
    method: "post",
    path: "/api/v1/webhooks",
    tag: "Webhooks",
    summary: "Add an endpoint; its signing secret is in this answer only",
    description:
      "Deliveries follow the Standard Webhooks specification: headers webhook-id, webhook-timestamp and webhook-signature (`v1,<base64 HMAC-SHA256>` of `id.timestamp.body`, keyed with the secret's base64 part), body `{type, timestamp, data}`. Endpoints on private or loopback addresses are refused unless the server allows them.",
    access: ADMINS,
    body: verbBody(createWebhook),
    success: {
      status: 201,
      description: "The endpoint, with `id` and `secret` (whsec_…), which is never shown again.",
    },
    problems: CREATE,
  },
  {
    method: "get",
    path: "/api/v1/webhooks/{id}",
    tag: "Webhooks",
    summary: "One endpoint and the newest page of its delivery log",
    access: ADMINS,
    success: { status: 200, description: "The endpoint, `deliveries` (newest first) and `next` (a cursor, or null)." },
    problems: READ_ONE,
  },
  {
    method: "patch",
    path: "/api/v1/webhooks/{id}",
    tag: "Webhooks",
    summary: "Change an endpoint's URL, events, description or enabled flag",
    access: ADMINS,
    body: verbBody(updateWebhook, ["id"]),
    success: { status: 200, description: "The endpoint as changed." },
    problems: WRITE,
  },
  {
    method: "delete",
    path: "/api/v1/webhooks/{id}",
    tag: "Webhooks",
    summary: "Remove an endpoint and its delivery log",
    access: ADMINS,
    success: { status: 204, description: "Removed." },
    problems: READ_ONE,
  },
  {
    method: "get",
    path: "/api/v1/webhooks/{id}/deliveries",
    tag: "Webhooks",
    summary: "The delivery log, newest first, 50 a page",
    access: ADMINS,
    query: WebhookDeliveriesQuery,
    success: { status: 200, description: "`deliveries` and `next` (pass it as `before` for the next page)." },
    problems: READ_ONE,
  },
  {
    method: "get",
    path: "/api/v1/webhooks/{id}/deliveries/{deliveryId}",
    tag: "Webhooks",
    summary: "One delivery: the body sent and every attempt",
    access: ADMINS,
    success: { status: 200, description: "The delivery, its `payload` and `attemptLog`." },
    problems: READ_ONE,
  },
  {
    method: "post",
    path: "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver",
    tag: "Webhooks",
    summary: "Send a delivery again now (same webhook-id and body, a fresh signature)",
    access: ADMINS,
    success: { status: 202, description: "The delivery, due now." },
    problems: [400, 404, 409],
  },
];
