import type { Role } from "../../db/schema/org";

/**
 * Who may call each public endpoint of the app: every /api/v1 route handler method and every server
 * action. "public": no session needed (signing in or out); "signed-in": any active person (finer
 * rules, such as "only the request's own requester", are per object and tested with the verbs); a
 * role list: a person holding at least one of those roles (DESIGN roles: requester, manager,
 * security, ml_lead, admin), as the verb the handler calls enforces with assertRole.
 *
 * tests/integration/access-enumerated.test.ts checks this table lists exactly the routes and actions
 * found on disk: a new endpoint fails that test until its access is written down here.
 */
export type Access = "public" | "signed-in" | readonly Role[];

const ADMIN = ["admin"] as const;
const BUDGET_HOLDERS = ["manager", "admin"] as const; // lib/budgets/*: mayManageBudget
const MODEL_OWNERS = ["requester", "ml_lead", "admin"] as const; // lib/models/*: mayManageTeamModels
const FILERS = ["requester", "admin"] as const; // lib/requests/create-request.ts: mayFileFor
const REVOKERS = ["ml_lead", "security", "admin"] as const; // lib/requests/revoke-request.ts
const SECURITY_DESK = ["security", "admin"] as const; // advisories, allowlist, licence policy
const ALERT_SENDERS = ["ml_lead", "admin"] as const; // lib/monitoring/receive-alert.ts
const DATASET_WRITERS = ["manager", "ml_lead", "admin"] as const; // lib/datasets/permissions.ts
const INSIGHT_READERS = ["manager", "ml_lead", "admin"] as const; // lib/insights/permissions.ts: mayReadInsights

/** "METHOD /api/v1/path/{param}" (the folder path, [param] written {param}). */
export const ROUTE_ACCESS: Record<string, Access> = {
  "GET /api/v1/audit/export": ADMIN,
  "GET /api/v1/budgets": BUDGET_HOLDERS,
  "POST /api/v1/budgets": BUDGET_HOLDERS, // setBudget
  "GET /api/v1/budgets/{id}": BUDGET_HOLDERS,
  "POST /api/v1/budgets/{id}/spend": BUDGET_HOLDERS, // recordSpend
  "POST /api/v1/cba/evaluate": "signed-in", // stateless calculator
  "GET /api/v1/datasets": "signed-in", // readDatasets
  "POST /api/v1/datasets": DATASET_WRITERS, // createDataset: a manager for their own teams
  "GET /api/v1/datasets/{name}": "signed-in", // readDataset
  "GET /api/v1/datasets/{name}/diff": "signed-in", // readDatasetDiff
  "GET /api/v1/datasets/{name}/versions": "signed-in", // readDataset
  "POST /api/v1/datasets/{name}/versions": DATASET_WRITERS, // createDatasetVersion: a manager for their own teams
  "GET /api/v1/datasets/{name}/versions/{version}": "signed-in", // readDatasetVersion
  "GET /api/v1/datasets/{name}/versions/{version}/table-schema": "signed-in", // readTableSchema
  "GET /api/v1/delegations": "signed-in", // readDelegations: one's own; ?user= for admins (mayReadDelegationsOf)
  "POST /api/v1/delegations": "signed-in", // createDelegation: one's own steps, a role one holds
  "DELETE /api/v1/delegations/{id}": "signed-in", // revokeDelegation: its delegator, its delegate or an admin
  "GET /api/v1/environments": "signed-in", // readEnvironments: whoever may browse models
  "POST /api/v1/environments": ADMIN, // defineEnvironment
  "GET /api/v1/environments/{name}": "signed-in", // readEnvironment
  "PATCH /api/v1/environments/{name}": ADMIN, // changeEnvironment
  "GET /api/v1/gate": "signed-in", // CI asks with any person's token
  "GET /api/v1/openapi.json": "public", // describes the API, holds no data
  // Managers see their own teams' figures only (insightScope): tested in tests/integration/insights.test.ts
  "GET /api/v1/insights/auto-pass": INSIGHT_READERS,
  "GET /api/v1/insights/lead-time": INSIGHT_READERS,
  "GET /api/v1/insights/rework": INSIGHT_READERS,
  "GET /api/v1/insights/sla": INSIGHT_READERS,
  "GET /api/v1/insights/steps": INSIGHT_READERS,
  "GET /api/v1/mlflow": ADMIN, // readMlflowAdmin
  "PUT /api/v1/mlflow/connection": ADMIN, // connectMlflow
  "POST /api/v1/mlflow/models": ADMIN, // pickMlflowModel
  "POST /api/v1/mlflow/sync": ADMIN, // requestMlflowSync
  "GET /api/v1/models": "signed-in",
  "POST /api/v1/models": MODEL_OWNERS, // createModel
  "GET /api/v1/models/{name}/deployments": "signed-in", // readModelDeployments: whoever may browse models
  // rollBack: the requester of what is live there, an ML lead or an admin
  "POST /api/v1/models/{name}/environments/{environment}/rollback": "signed-in",
  "GET /api/v1/models/{name}/versions": "signed-in",
  "POST /api/v1/models/{name}/versions": MODEL_OWNERS, // registerVersion
  "GET /api/v1/models/{name}/versions/{version}": "signed-in",
  "GET /api/v1/policies": ADMIN, // readPolicies
  "POST /api/v1/policies": ADMIN, // savePolicy
  "GET /api/v1/policies/{id}": ADMIN, // readPolicy
  "PUT /api/v1/policies/{id}": ADMIN, // savePolicy (If-Match)
  "DELETE /api/v1/policies/{id}": ADMIN, // deactivatePolicy
  "GET /api/v1/policies/export": ADMIN, // readPolicyDocumentExport
  "POST /api/v1/policies/apply": ADMIN, // applyPolicies
  "POST /api/v1/policies/dry-run": ADMIN, // readPolicyDryRun
  "GET /api/v1/receipts/keys": "signed-in", // the JWKS, for CI's offline checks
  "GET /api/v1/receipts/revoked": "signed-in",
  "GET /api/v1/requests": "signed-in",
  "POST /api/v1/requests": FILERS, // createRequest
  "GET /api/v1/requests/{number}": "signed-in",
  "PATCH /api/v1/requests/{number}": "signed-in", // updateRequest: the request's own requester (lockForEdit)
  "POST /api/v1/requests/{number}/comments": "signed-in", // addComment
  "POST /api/v1/requests/{number}/decisions": "signed-in", // decide: the open step's role, resolved per step
  "POST /api/v1/requests/{number}/deployed": "signed-in", // markDeployed: its requester, an ML lead or an admin
  "GET /api/v1/requests/{number}/manifest": "signed-in",
  "POST /api/v1/requests/{number}/outcome": "signed-in", // recordOutcome: its requester, an ML lead or an admin
  "POST /api/v1/requests/{number}/manifest": "signed-in", // uploadManifest: its requester (lockForEdit)
  "GET /api/v1/requests/{number}/receipt": "signed-in", // like the request itself
  "POST /api/v1/requests/{number}/revoke": REVOKERS, // revokeRequest
  "POST /api/v1/requests/{number}/submit": "signed-in", // submitRequest: its requester
  "POST /api/v1/requests/{number}/withdraw": "signed-in", // withdrawRequest: its requester
  "POST /api/v1/requests/{number}/checks/{stepId}/override": "signed-in", // overrideCheck: the check step's role
  "GET /api/v1/sso/group-mapping": ADMIN, // readGroupMapping
  "PUT /api/v1/sso/group-mapping": ADMIN, // setGroupMapping
  "GET /api/v1/users": ADMIN,
  "POST /api/v1/users": ADMIN, // createUser
  "POST /api/v1/users/{id}/roles": ADMIN, // grantRole
  "DELETE /api/v1/users/{id}/roles/{role}": ADMIN, // revokeRole
  "POST /api/v1/monitoring/alerts": ALERT_SENDERS, // receiveAlerts
  "GET /api/v1/webhooks": ADMIN, // readWebhooks
  "POST /api/v1/webhooks": ADMIN, // createWebhook
  "GET /api/v1/webhooks/{id}": ADMIN, // readWebhook
  "PATCH /api/v1/webhooks/{id}": ADMIN, // updateWebhook
  "DELETE /api/v1/webhooks/{id}": ADMIN, // deleteWebhook
  "GET /api/v1/webhooks/{id}/deliveries": ADMIN, // readWebhook
  "GET /api/v1/webhooks/{id}/deliveries/{deliveryId}": ADMIN, // readWebhookDelivery
  "POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver": ADMIN, // redeliverWebhook
};

/** "app/.../actions.ts#exportedName". */
export const ACTION_ACCESS: Record<string, Access> = {
  "app/(app)/actions.ts#signOutAction": "public", // signing out needs nobody in particular

  "app/(app)/admin/actions.ts#setRoleAction": ADMIN, // grantRole / revokeRole
  "app/(app)/admin/actions.ts#setTeamsAction": ADMIN, // setUserTeams
  "app/(app)/admin/actions.ts#deactivateAction": ADMIN, // deactivateUser
  "app/(app)/admin/actions.ts#reactivateAction": ADMIN, // reactivateUser
  "app/(app)/admin/actions.ts#createUserAction": ADMIN, // createUser
  "app/(app)/admin/actions.ts#createTeamAction": ADMIN, // createTeam
  "app/(app)/admin/actions.ts#renameTeamAction": ADMIN, // renameTeam
  "app/(app)/admin/actions.ts#savePolicyAction": ADMIN, // savePolicy
  "app/(app)/admin/actions.ts#setGroupMappingAction": ADMIN, // setGroupMapping
  "app/(app)/admin/actions.ts#dryRunPolicyAction": ADMIN, // readDraftDryRun
  "app/(app)/admin/monitoring/actions.ts#updateMonitoringSettingsAction": ADMIN, // updateMonitoringSettings
  "app/(app)/admin/outbox/actions.ts#retryNotificationAction": ADMIN, // retryNotification
  "app/(app)/admin/webhooks/actions.ts#createWebhookAction": ADMIN, // createWebhook
  "app/(app)/admin/webhooks/actions.ts#updateWebhookAction": ADMIN, // updateWebhook
  "app/(app)/admin/webhooks/actions.ts#deleteWebhookAction": ADMIN, // deleteWebhook
  "app/(app)/admin/webhooks/actions.ts#redeliverWebhookAction": ADMIN, // redeliverWebhook
  "app/(app)/admin/mlflow/actions.ts#connectMlflowAction": ADMIN, // connectMlflow
  "app/(app)/admin/mlflow/actions.ts#disconnectMlflowAction": ADMIN, // disconnectMlflow
  "app/(app)/admin/mlflow/actions.ts#pickMlflowModelAction": ADMIN, // pickMlflowModel
  "app/(app)/admin/mlflow/actions.ts#unpickMlflowModelAction": ADMIN, // unpickMlflowModel
  "app/(app)/admin/mlflow/actions.ts#setMlflowAliasAction": ADMIN, // setMlflowAlias
  "app/(app)/admin/mlflow/actions.ts#syncMlflowNowAction": ADMIN, // requestMlflowSync

  "app/(app)/datasets/actions.ts#createDatasetAction": DATASET_WRITERS, // createDataset
  "app/(app)/datasets/actions.ts#createDatasetVersionAction": DATASET_WRITERS, // createDatasetVersion

  "app/(app)/budgets/actions.ts#setBudgetAction": BUDGET_HOLDERS,
  "app/(app)/budgets/actions.ts#recordSpendAction": BUDGET_HOLDERS,

  "app/(app)/environments/actions.ts#defineEnvironmentAction": ADMIN,
  "app/(app)/environments/actions.ts#changeEnvironmentAction": ADMIN,

  "app/(app)/models/actions.ts#createModelAction": MODEL_OWNERS,
  "app/(app)/models/actions.ts#registerVersionAction": MODEL_OWNERS,

  "app/(app)/requests/actions.ts#createRequestAction": FILERS,
  "app/(app)/requests/actions.ts#updateRequestAction": "signed-in", // its requester
  "app/(app)/requests/actions.ts#submitAction": "signed-in", // its requester
  "app/(app)/requests/actions.ts#decideAction": "signed-in", // the open step's role
  "app/(app)/requests/actions.ts#commentAction": "signed-in",
  "app/(app)/requests/actions.ts#overrideCheckAction": "signed-in", // the check step's role
  "app/(app)/requests/actions.ts#withdrawAction": "signed-in", // its requester
  "app/(app)/requests/actions.ts#deployedAction": "signed-in", // its requester, an ML lead or an admin
  "app/(app)/requests/actions.ts#outcomeAction": "signed-in", // recordOutcome: the same people
  "app/(app)/models/actions.ts#rollbackAction": "signed-in", // rollBack: the requester of what is live, ML lead, admin
  "app/(app)/requests/actions.ts#revokeAction": REVOKERS,
  "app/(app)/requests/actions.ts#previewChainAction": "signed-in", // saves nothing

  "app/(app)/security/actions.ts#importAdvisoriesAction": SECURITY_DESK, // importAdvisories
  "app/(app)/security/actions.ts#uploadManifestAction": "signed-in", // its requester (lockForEdit)
  "app/(app)/security/actions.ts#decidePackageAction": ["security"], // decidePackage: the security team only
  "app/(app)/security/actions.ts#createAllowlistAction": SECURITY_DESK,
  "app/(app)/security/actions.ts#revokeAllowlistAction": SECURITY_DESK,
  "app/(app)/security/actions.ts#setLicencePolicyAction": SECURITY_DESK,

  "app/(app)/settings/actions.ts#createTokenAction": "signed-in", // for oneself
  "app/(app)/settings/actions.ts#revokeTokenAction": "signed-in", // one's own (admins: anyone's)
  "app/(app)/settings/actions.ts#createDelegationAction": "signed-in", // one's own steps
  "app/(app)/settings/actions.ts#revokeDelegationAction": "signed-in", // its delegator, its delegate or an admin
  "app/(app)/settings/notifications/actions.ts#setNotificationPreferenceAction": "signed-in", // one's own

  "app/sign-in/actions.ts#emailSignIn": "public",
  "app/sign-in/actions.ts#demoSignIn": "public",
  "app/sign-in/actions.ts#ssoSignIn": "public",
};
