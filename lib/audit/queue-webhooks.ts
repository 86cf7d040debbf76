import "server-only";
import { randomUUID } from "node:crypto";
import { and, arrayContains, eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { changeRequests, models, modelVersions, teams, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import type { AuditAction } from "./actions";
import { getEnv } from "../env";
import { unitOfWorkOf } from "../verb";
import { logError } from "../log";
import { webhookEventFor, type WebhookEventType } from "./webhook-events";

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

// Delivery belongs to lib/webhooks and the job queue to lib/jobs; both sit above the audit log, so
// the queue hands its sender in here (set by lib/jobs/current.ts) rather than being imported.

/** A delivery and how many attempts it has had: which attempt a job is for. */
export type WebhookAttemptRef = { id: string; attempts: number };

/** Hands committed deliveries to a job queue, when one runs in this process. */
export type WebhookDispatcher = (deliveries: readonly WebhookAttemptRef[]) => Promise<unknown>;

// Shared by every route bundle through globalThis, as lib/notifications/dispatch.ts is.
const KEY = Symbol.for("greenlight.webhook-dispatcher");
type Holder = { [KEY]?: WebhookDispatcher };

export function setWebhookDispatcher(dispatcher: WebhookDispatcher | undefined): void {
  if (dispatcher) (globalThis as Holder)[KEY] = dispatcher;
  else delete (globalThis as Holder)[KEY];
}

/**
 * After commit: each delivery becomes a job at once. A process without a job queue (the CLI, a
 * test) leaves them due in the table, where the worker's sweep finds them within a minute.
 */
export function dispatchWebhookDeliveries(deliveries: readonly WebhookAttemptRef[]): void {
  const dispatch = (globalThis as Holder)[KEY];
  if (!dispatch || deliveries.length === 0) return;
  // Never awaited by the verb: its change has committed, and a lost hand-off is the sweep's to find.
  setImmediate(
    () => void dispatch(deliveries).catch((error: unknown) => logError("[webhooks] queueing failed:", error)),
  );
}
