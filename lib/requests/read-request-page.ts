import "server-only";
import { decisionFor } from "./eligibility";
import type { UserContext } from "../auth/actor";
import { maySeeBudgetImpact } from "../budgets/permissions";
import { budgetImpact } from "../budgets/queries";
import { NotFound } from "../errors";
import { currentManifestRecord, dependencyCounts, manifestBlocking } from "../security/manifest-review";
import { describeBlocking } from "../security/blocking";
import { mayDecidePackages } from "../security/permissions";
import { requestCost } from "./cost-shape";
import { mayCloseDeployment, mayEdit, mayRevoke } from "./permissions";
import { liveViewForRequest } from "./deployments";
import { findRequestDetail } from "./queries";
import { stepEvidenceFor } from "../budgets/step-evidence";
import { versionBesideLive } from "./live-version";
import { riskRaisedBy } from "./risk";
import { strandedRequests } from "./stranded";
import { findReceipt } from "./receipt-queries";
import type { StepCheck } from "@/db/schema/governance";
import { describeRule } from "../policies/check-rules";
import { approvalFacts } from "./load";
import { isStoppingCheck, overrideRefusal } from "./resolve-step";
import { datasetNotice } from "../datasets/affected";

/**
 * Everything the request page shows, in one read: the request with its declared and effective risk,
 * its chain with this revision's decisions (budget figures only for those who may see the budget),
 * the discussion and timeline, its money side and budget impact (for those who may see it), a summary
 * of its manifest, its model version beside the one live in that environment, what the caller may
 * decide, and what the caller may do (`can`). Shaped for the components: named fields, times as ISO
 * strings, no rows.
 */
export async function readRequestPage(ctx: UserContext, input: { number: string }) {
  const { db, actor } = ctx;
  const detail = await findRequestDetail(db, input.number, ctx.now);
  if (!detail) throw new NotFound("No such request.");
  const { request, steps, decisions, comments, timeline, retro } = detail;
  const mine = request.requestedBy === actor.id;
  const cost = requestCost(request);
  const can = {
    edit: mayEdit(actor.id, request),
    revoke: mayRevoke(actor),
    seeBudget: maySeeBudgetImpact(actor, request),
    decidePackages: mayDecidePackages(actor, request),
    // Close a deployed request with how it went (lib/requests/record-outcome.ts checks again).
    recordOutcome: request.status === "deployed" && !request.outcome && mayCloseDeployment(actor, request),
  };
  const [decision, impact, manifest, beside, stranded, live, receipt, dataChanges] = await Promise.all([
    decisionFor(db, request, actor, ctx.now),
    cost && can.seeBudget ? budgetImpact(db, request, ctx.now) : null,
    manifestSummary(db, request.id),
    versionBesideLive(db, request),
    strandedRequests(db, { requestIds: [request.id] }),
    liveViewForRequest(ctx, request),
    findReceipt(db, String(request.number), ctx.now),
    datasetNotice(db, request.modelVersionId),
  ]);
  // Said before the form is used, so an approver learns what blocks the security step (the verb checks again).
  const blocking =
    decision?.ok && decision.step.role === "security" ? await manifestBlocking(db, request, ctx.now ?? new Date()) : [];
  // A check that stopped the request, and whether the caller may override it (the verb checks again).
  const stopping = steps.filter((s) => isStoppingCheck(s, request.status));
  const facts = stopping.length ? await approvalFacts(db, request) : null;
  const overrides = facts
    ? stopping
        .filter((s) => !overrideRefusal(s, actor, facts))
        .map((s) => ({ stepId: s.id, stepName: s.name, failure: s.reason ?? "" }))
    : [];
  // Budget figures in a step's reason, note or timeline entry only for those who may see the budget.
  const shown = <S extends Parameters<typeof stepEvidenceFor>[0]>(step: S) => stepEvidenceFor(step, can.seeBudget);

  return {
    request: {
      number: request.number,
      title: request.title,
      description: request.description,
      status: request.status,
      risk: request.risk,
      effectiveRisk: request.effectiveRisk,
      riskFactors: request.riskFactors,
      riskRaisedBy: riskRaisedBy({
        risk: request.effectiveRisk,
        declared: request.risk,
        factors: request.riskFactors,
      }),
      emergency: request.emergency,
      environment: request.environment,
      team: request.team,
      requester: request.requester,
      model: request.model,
      version: request.version,
      revision: request.revision,
      approvalExpiresAt: request.approvalExpiresAt?.toISOString() ?? null,
      retroDueAt: request.retroDueAt?.toISOString() ?? null,
      deployed: Boolean(request.deployedAt),
    },
    retro: { pending: retro.pending, overdue: retro.overdue },
    /** How the deployment went, once recorded (by the outcome verb or a rollback). */
    outcome: request.outcome
      ? { outcome: request.outcome, note: request.outcomeNote, at: request.outcomeAt?.toISOString() ?? null }
      : null,
    /** Its environment's live view when this request is what is live there (the rollback is offered from it). */
    live,
    /** Why the pending steps can no longer complete with the people there are now (empty when they can). */
    stranded: stranded.flatMap((s) => s.shortfalls.map((f) => f.message)),
    steps: steps.map(shown).map((s) => ({
      id: s.id,
      stage: s.stage,
      name: s.name,
      role: s.role,
      scope: s.scope,
      quorum: s.quorum,
      approvals: s.approvals,
      status: s.status,
      reason: s.reason,
      note: typeof s.evidence?.note === "string" ? s.evidence.note : null,
      check: s.check ? checkView(s.check, s.evidence ?? null) : null,
      eligible: s.eligible,
      conflicts: s.conflicts,
      policies: s.policies.map((p) => `${p.name} v${p.version}`),
    })),
    // The chain shows this revision's decisions; earlier ones stay in the timeline.
    decisions: decisions
      .filter((d) => d.revision === request.revision)
      .map((d) => ({
        stepId: d.stepId,
        by: d.actorName ?? d.actor,
        // A delegate's decision reads "Maya Lindqvist for Sam Ferreira".
        onBehalfOf: d.onBehalfOfName,
        decision: d.decision,
        comment: d.comment,
        at: d.createdAt.toISOString(),
      })),
    comments: comments.map((c) => ({
      id: c.id,
      body: c.body,
      createdAt: c.createdAt.toISOString(),
      author: c.author,
      authorName: c.authorName,
    })),
    timeline: timeline.map((e) => ({
      seq: e.seq,
      action: e.action,
      actorEmail: e.actorEmail,
      occurredAt: e.occurredAt.toISOString(),
      data: e.action === "request.step_auto_passed" ? autoPassEntry(e.data, can.seeBudget) : e.data,
    })),
    model: beside,
    /**
     * Columns the version uses (features, label) that the dataset's latest version changed since the
     * version it was trained on: "column `amount` changed meaning since this model was trained: cents -> dollars".
     */
    datasetChanges: dataChanges,
    // The signed receipt of the approval, or, once approved, why there is none (no artifact digest).
    receipt: receipt.receipt
      ? {
          href: `/api/v1/requests/${request.number}/receipt?download=1`,
          revision: receipt.receipt.revision,
          digest: receipt.receipt.artifactDigest,
          state: receipt.receipt.state,
          revokedReason: receipt.receipt.revokedReason,
        }
      : null,
    noReceipt: !receipt.receipt && ["approved", "deployed"].includes(request.status) ? receipt.why : null,
    cost,
    impact,
    manifest: manifest && {
      fileName: manifest.fileName,
      packages: manifest.counts.all,
      vulnerable: manifest.counts.affected,
      withSignals: manifest.counts.signals,
      rejected: manifest.counts.rejected,
    },
    // What the decide verb would say to the caller now: a form for their step, or why there is none.
    decision: !decision
      ? null
      : decision.ok
        ? {
            ok: true as const,
            stepId: decision.step.id,
            stepName: steps.find((s) => s.id === decision.step.id)?.name ?? "",
            onBehalf: Boolean(decision.onBehalfOf),
            onBehalfOfName: decision.onBehalfOf ? (decision.principal.name ?? decision.principal.email ?? null) : null,
            blocking: blocking.length ? describeBlocking(blocking) : null,
            blockingPackages: blocking.map((b) => b.name),
          }
        : { ok: false as const, status: decision.status, reason: decision.reason },
    /** Failed checks holding the request that the caller may override, with what they found. */
    overrides,
    mine,
    can,
  };
}

/** A check step as the chain shows it: its rules in words, what each found, and any override. */
function checkView(check: StepCheck, evidence: Record<string, unknown> | null) {
  const results = Array.isArray(evidence?.results) ? (evidence.results as { passed?: unknown; text?: unknown }[]) : [];
  const override = evidence?.override as { name?: unknown; reason?: unknown } | undefined;
  return {
    rules: check.rules.map(describeRule),
    onFail: check.onFail,
    live: typeof evidence?.live === "string" ? evidence.live : null,
    results: results.map((r) => ({ passed: r.passed === true, text: String(r.text ?? "") })),
    override: override ? { name: String(override.name ?? ""), reason: String(override.reason ?? "") } : null,
  };
}

/** An auto-pass in the timeline carries the step's reason and evidence: the same rule as the chain. */
function autoPassEntry(data: Record<string, unknown>, seeBudget: boolean): Record<string, unknown> {
  const recorded = {
    autoPass: String(data.rule ?? "never"),
    reason: typeof data.reason === "string" ? data.reason : null,
    evidence: (data.evidence as Record<string, unknown> | null | undefined) ?? null,
  };
  const { reason, evidence } = stepEvidenceFor(recorded, seeBudget);
  return { ...data, reason, evidence };
}

export type RequestPage = Awaited<ReturnType<typeof readRequestPage>>;

/** The manifest's name and counts, counted in SQL: the request page never loads its dependency rows. */
async function manifestSummary(db: UserContext["db"], requestId: string) {
  const manifest = await currentManifestRecord(db, requestId);
  return manifest && { fileName: manifest.fileName, counts: await dependencyCounts(db, manifest.id) };
}
