import "server-only";
import { randomUUID } from "node:crypto";
import { and, arrayContains, eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { changeRequests, models, modelVersions, teams, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import type { AuditAction } from "../audit/actions";
import { getEnv } from "../env";
import { unitOfWorkOf } from "../verb";
import { dispatchWebhookDeliveries } from "./dispatch";
import { webhookEventFor, type WebhookEventType } from "./events";

export type AuditedChange = {
  action: AuditAction;
  entityType: string;
  entityId: string;
  data: Record<string, unknown>;
  actor: string;
  seq: number;
  occurredAt: Date;
};

// A decision that moves the request to one of these also raises the outcome's own event.
const OUTCOMES: Partial<Record<string, WebhookEventType>> = {
  approved: "request.approved",
  rejected: "request.rejected",
  changes_requested: "request.changes_requested",
  revoked: "request.revoked",
};

/** The events one audited change raises: its own, and for a decision that ended a stage, the outcome. */
export function eventsRaisedBy(change: Pick<AuditedChange, "action" | "data">): WebhookEventType[] {
  const own = webhookEventFor(change.action);
  if (!own) return [];
  if (change.action !== "request.decided") return [own];
  const { requestStatus, previousStatus } = change.data;
  const outcome = typeof requestStatus === "string" ? OUTCOMES[requestStatus] : undefined;
  return outcome && requestStatus !== previousStatus ? [own, outcome] : [own];
}

/** The request an event is about, as a receiver needs it: what, where, which artifact, and links. */
async function requestSummary(tx: Tx, requestId: string) {
  const [row] = await tx
    .select({
      number: changeRequests.number,
      title: changeRequests.title,
      kind: changeRequests.kind,
      status: changeRequests.status,
      revision: changeRequests.revision,
      environment: changeRequests.environment,
      team: teams.name,
      model: models.name,
      version: modelVersions.version,
      artifactDigest: modelVersions.artifactDigest,
    })
    .from(changeRequests)
    .innerJoin(teams, eq(teams.id, changeRequests.teamId))
    .leftJoin(modelVersions, eq(modelVersions.id, changeRequests.modelVersionId))
    .leftJoin(models, eq(models.id, modelVersions.modelId))
    .where(eq(changeRequests.id, requestId));
  if (!row) return undefined;
  const { appUrl } = getEnv();
  const number = `CR-${row.number}`;
  return {
    ...row,
    number,
    url: `${appUrl}/requests/${row.number}`,
    // The signed approval the gate vouches with (DSSE): fetch it to verify the decision offline.
    receiptUrl:
      row.status === "approved" || row.status === "deployed" ? `${appUrl}/api/v1/requests/${number}/receipt` : null,
  };
}

/**
 * Queues, inside the audited change's own transaction, one delivery per enabled endpoint subscribed
 * to each event the change raises. They commit or roll back with the change; once committed they
 * are handed to delivery (the job queue, or a direct send where none runs). Called by recordAudit.
 */
export async function queueWebhookEvents(tx: Tx, change: AuditedChange): Promise<void> {
  const types = eventsRaisedBy(change);
  if (types.length === 0) return;
  const ids: string[] = [];
  let request: Awaited<ReturnType<typeof requestSummary>> | null = null;
  for (const type of types) {
    const endpoints = await tx
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.enabled, true), arrayContains(webhookEndpoints.events, [type])));
    if (endpoints.length === 0) continue;
    if (request === null && change.entityType === "change_request") request = await requestSummary(tx, change.entityId);
    const payload = {
      type,
      timestamp: change.occurredAt.toISOString(),
      data: {
        ...(request ? { request } : {}),
        entity: { type: change.entityType, id: change.entityId },
        actor: change.actor,
        details: change.data,
        auditSeq: change.seq,
      },
    };
    // One message per event, the same id at every endpoint and on every retry (webhook-id).
    const messageId = `msg_${randomUUID().replaceAll("-", "")}`;
    const rows = await tx
      .insert(webhookDeliveries)
      .values(
        endpoints.map((e) => ({
          endpointId: e.id,
          messageId,
          eventType: type,
          payload,
          nextAttemptAt: change.occurredAt,
          createdAt: change.occurredAt,
        })),
      )
      .returning({ id: webhookDeliveries.id });
    ids.push(...rows.map((r) => r.id));
  }
  if (ids.length === 0) return;
  // A transaction outside any unit of work (rare: maintenance scripts) leaves them to the sweep.
  const work = unitOfWorkOf(tx);
  if (work) work.afterCommit(() => dispatchWebhookDeliveries(ids.map((id) => ({ id, attempts: 0 }))));
}
