import { requestCost } from "./cost-shape";
import type { getRequestDetail } from "./queries";

type Detail = NonNullable<Awaited<ReturnType<typeof getRequestDetail>>>;

/** The request as /api/v1 shows it: status, revision and the chain with its progress. */
export function requestJson({ request, steps, decisions }: Detail) {
  return {
    number: `CR-${request.number}`,
    kind: request.kind,
    title: request.title,
    status: request.status,
    revision: request.revision,
    environment: request.environment,
    risk: request.risk,
    emergency: request.emergency,
    team: request.team,
    requester: request.requester,
    model: request.model,
    version: request.version,
    submittedAt: request.submittedAt,
    approvalExpiresAt: request.approvalExpiresAt,
    retroDueAt: request.retroDueAt,
    cost: requestCost(request),
    steps: steps.map((s) => ({
      id: s.id,
      stage: s.stage,
      name: s.name,
      role: s.role,
      scope: s.scope,
      quorum: s.quorum,
      approvals: s.approvals,
      status: s.status,
      reason: s.reason,
      evidence: s.evidence,
      policies: s.policies.map((p) => p.name),
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
  };
}
