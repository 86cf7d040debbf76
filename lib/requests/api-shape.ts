import type { ChangeRequest, RequestStep } from "@/db/schema";
import type { Role } from "@/db/schema/org";
import { maySeeBudgetImpact } from "../budgets/permissions";
import { stepEvidenceFor } from "../budgets/step-evidence";
import { requestCost } from "./cost-shape";
import type { getRequestDetail, listRequests } from "./queries";
import type { DeploymentEntry, ModelDeployments } from "./deployments";
import type { rollBack } from "./roll-back";
import type { readRevokedReceipts } from "./receipt-queries";
import type { DatasetNotice } from "../datasets/affected";

type Detail = NonNullable<Awaited<ReturnType<typeof getRequestDetail>>>;
type ListRow = Awaited<ReturnType<typeof listRequests>>["rows"][number];

type Viewer = { id: string; roles: readonly Role[]; teamIds: readonly string[] };

/**
 * The request as /api/v1 shows it to this caller: status, revision, its declared and effective risk
 * (with the facts behind it) and the chain with its progress. Budget figures in a step's reason and
 * evidence only for those who may see the team's budget (lib/budgets/step-evidence.ts).
 */
export function requestJson(
  {
    request,
    steps,
    earlierSteps,
    decisions,
    datasetChanges = null,
  }: Detail & { datasetChanges?: DatasetNotice | null },
  viewer: Viewer,
) {
  const seeBudget = maySeeBudgetImpact(viewer, request);
  return {
    number: `CR-${request.number}`,
    kind: request.kind,
    title: request.title,
    status: request.status,
    revision: request.revision,
    environment: request.environment,
    risk: request.risk,
    effectiveRisk: request.effectiveRisk,
    riskFactors: request.riskFactors,
    emergency: request.emergency,
    team: request.team,
    requester: request.requester,
    model: request.model,
    version: request.version,
    submittedAt: request.submittedAt,
    approvalExpiresAt: request.approvalExpiresAt,
    retroDueAt: request.retroDueAt,
    deployedAt: request.deployedAt,
    outcome: request.outcome ? { outcome: request.outcome, note: request.outcomeNote, at: request.outcomeAt } : null,
    cost: requestCost(request),
    /** Columns its model version uses that the dataset's latest version changed since training (null: none). */
    datasetChanges,
    steps: steps
      .map((step) => stepEvidenceFor(step, seeBudget))
      .map((s) => ({
        id: s.id,
        stage: s.stage,
        name: s.name,
        role: s.role,
        scope: s.scope,
        quorum: s.quorum,
        approvals: s.approvals,
        status: s.status,
        // "check": decided by its rules (ADR 0024), which `check` holds; evidence holds the figures.
        kind: s.check ? "check" : "approval",
        check: s.check,
        reason: s.reason,
        evidence: s.evidence,
        policies: s.policies.map((p) => p.name),
        // The step's clock, so anyone can recompute the insights: opened when its stage's turn came
        // (null while an earlier stage is deciding), completed when decided or passed.
        revision: s.revision,
        slaHours: s.slaHours,
        autoPass: s.autoPass,
        openedAt: s.openedAt,
        completedAt: s.completedAt,
        remindersSent: s.remindersSent,
        escalatedAt: s.escalatedAt,
        decisions: decisions
          .filter((d) => d.stepId === s.id)
          .map((d) => ({
            by: d.actor,
            onBehalfOf: d.onBehalfOfEmail,
            decision: d.decision,
            comment: d.comment,
            at: d.createdAt,
          })),
      })),
    // Earlier revisions' steps (reset by an edit or a request for changes), with their timings.
    earlierRevisionSteps: earlierSteps.map((s) => ({
      revision: s.revision,
      stage: s.stage,
      name: s.name,
      role: s.role,
      status: s.status,
      slaHours: s.slaHours,
      openedAt: s.openedAt,
      completedAt: s.completedAt,
    })),
  };
}

/** A request in a list (GET /api/v1/requests). */
export function requestListJson(r: ListRow) {
  return {
    id: r.id,
    number: `CR-${r.number}`,
    title: r.title,
    kind: r.kind,
    status: r.status,
    environment: r.environment,
    risk: r.risk,
    effectiveRisk: r.effectiveRisk,
    emergency: r.emergency,
    revision: r.revision,
    updatedAt: r.updatedAt,
    retroDueAt: r.retroDueAt,
    team: r.team,
    requester: r.requester,
    model: r.model,
    version: r.version,
  };
}

/** A request just filed (POST /api/v1/requests). */
export function createdRequestJson(r: Pick<ChangeRequest, "number" | "status" | "revision">) {
  return { number: `CR-${r.number}`, status: r.status, revision: r.revision };
}

/** The request's own record as a verb left it. */
function requestRecordJson(r: ChangeRequest) {
  return {
    id: r.id,
    number: r.number,
    kind: r.kind,
    title: r.title,
    description: r.description,
    modelVersionId: r.modelVersionId,
    environment: r.environment,
    risk: r.risk,
    emergency: r.emergency,
    status: r.status,
    costBenefit: r.costBenefit,
    provisioning: r.provisioning,
    currency: r.currency,
    totalCostMinor: r.totalCostMinor,
    revision: r.revision,
    requestedBy: r.requestedBy,
    teamId: r.teamId,
    submittedAt: r.submittedAt,
    decidedAt: r.decidedAt,
    approvalExpiresAt: r.approvalExpiresAt,
    retroDueAt: r.retroDueAt,
    expiryRemindedAt: r.expiryRemindedAt,
    deployedAt: r.deployedAt,
    revokedAt: r.revokedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** One step of the chain snapshot as it was taken. */
function stepRecordJson(s: RequestStep) {
  return {
    id: s.id,
    requestId: s.requestId,
    revision: s.revision,
    stage: s.stage,
    name: s.name,
    role: s.role,
    scope: s.scope,
    teamId: s.teamId,
    quorum: s.quorum,
    slaHours: s.slaHours,
    autoPass: s.autoPass,
    policies: s.policies.map((p) => ({ id: p.id, name: p.name, version: p.version })),
    status: s.status,
    kind: s.check ? "check" : "approval",
    check: s.check,
    approvals: s.approvals,
    reason: s.reason,
    evidence: s.evidence,
    openedAt: s.openedAt,
    remindersSent: s.remindersSent,
    lastRemindedAt: s.lastRemindedAt,
    escalatedAt: s.escalatedAt,
    completedAt: s.completedAt,
  };
}

/** What submitting did (POST .../submit): the request, its chain snapshot and the steps opened first. */
export function submittedJson(r: { request: ChangeRequest; steps: RequestStep[]; opened: RequestStep[] }) {
  return {
    request: requestRecordJson(r.request),
    steps: r.steps.map(stepRecordJson),
    opened: r.opened.map(stepRecordJson),
  };
}

/** A comment just posted (POST .../comments), with the people it mentioned. */
export function commentJson(c: {
  id: string;
  requestId: string;
  authorId: string;
  body: string;
  mentions: string[];
  createdAt: Date;
}) {
  return {
    id: c.id,
    requestId: c.requestId,
    authorId: c.authorId,
    body: c.body,
    mentions: c.mentions,
    createdAt: c.createdAt,
  };
}

/** The status a request verb left the request in (deployed, withdrawn, revoked). */
export function statusJson(r: { status: ChangeRequest["status"] }) {
  return { status: r.status };
}

/** What an override did (POST .../checks/{stepId}/override): the request's status and the check passed. */
export function overrideJson(o: {
  status: string;
  step: Pick<RequestStep, "id" | "name" | "status">;
  overriddenBy: string;
}) {
  return { status: o.status, step: { id: o.step.id, name: o.step.name, status: o.step.status }, by: o.overriddenBy };
}

/** What a decision did (POST .../decisions): the request's status and the step decided. */
export function decisionJson(d: {
  status: string;
  step: Pick<RequestStep, "id" | "name" | "status" | "approvals" | "quorum">;
  onBehalfOf: string | null;
  emergency: boolean;
  /** Packages a security override approved over (lib/security/blocking.ts); none without one. */
  overridden?: string[];
}) {
  return {
    status: d.status,
    step: {
      id: d.step.id,
      name: d.step.name,
      status: d.step.status,
      approvals: d.step.approvals,
      quorum: d.step.quorum,
    },
    onBehalfOf: d.onBehalfOf,
    emergency: d.emergency,
    overridden: d.overridden ?? [],
  };
}

/** One time a version went live in an environment, and how that ended (null while it is live). */
export function deploymentEntryJson(d: DeploymentEntry) {
  return {
    version: d.version,
    via: d.via,
    request: `CR-${d.number}`,
    requestStatus: d.requestStatus,
    outcome: d.outcome,
    deployedAt: d.deployedAt,
    deployedBy: d.deployedBy,
    note: d.note,
    retired: d.retiredAt
      ? {
          at: d.retiredAt,
          by: d.retiredBy,
          reason: d.retiredReason,
          request: d.retiredByNumber === null ? null : `CR-${d.retiredByNumber}`,
        }
      : null,
  };
}

/** GET /api/v1/models/{name}/deployments: per environment, what is live and its history (newest first). */
export function modelDeploymentsJson(m: ModelDeployments) {
  return {
    model: m.model,
    environments: m.environments.map((e) => ({
      environment: e.environment,
      live: e.live ? deploymentEntryJson(e.live) : null,
      rollback: e.rollback && { to: e.rollback.to, request: `CR-${e.rollback.number}`, refusal: e.rollback.refusal },
      history: e.history.map(deploymentEntryJson),
    })),
  };
}

/** What a rollback did (POST /api/v1/models/{name}/environments/{environment}/rollback). */
export function rollbackJson(r: Awaited<ReturnType<typeof rollBack>>) {
  return {
    model: r.model,
    environment: r.environment,
    live: { version: r.live.version, request: `CR-${r.live.number}` },
    rolledBack: { version: r.rolledBack.version, request: `CR-${r.rolledBack.number}`, status: r.rolledBack.status },
  };
}

/** How a deployed request was closed (POST /api/v1/requests/{number}/outcome). */
export function outcomeJson(r: { status: ChangeRequest["status"]; outcome: string }) {
  return { status: r.status, outcome: r.outcome };
}

type RevokedReceiptRow = Awaited<ReturnType<typeof readRevokedReceipts>>[number];

/**
 * A receipt that no longer vouches for its approval (GET /api/v1/receipts/revoked). The envelope
 * itself is never reshaped: it is served as signed.
 */
export function revokedReceiptJson(r: RevokedReceiptRow) {
  const lapsed = r.state === "expired" || r.reason === "approval expired";
  return {
    request: `CR-${r.number}`,
    revision: r.revision,
    digest: r.artifactDigest,
    keyId: r.keyId,
    state: r.state,
    revokedAt: r.revokedAt?.toISOString() ?? null,
    expiredAt: lapsed ? (r.expiresAt?.toISOString() ?? null) : null,
    reason: r.reason ?? "approval expired",
  };
}
