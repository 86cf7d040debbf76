import "server-only";
import { eq } from "drizzle-orm";
import { changeRequests, monitoringAlertLinks } from "@/db/schema";
import type { MonitoringAction } from "@/db/schema/monitoring";
import { systemActor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { assessFields } from "../requests/assess-risk";
import { notifyApprovers } from "../requests/notify";
import { snapshotChain } from "../requests/snapshot";
import type { VerbRun } from "../verb";
import { requestDescription, requestTitle, type AlertTarget } from "./rules";
import type { ReceivedAlert } from "./schemas";
import { tellTeam } from "./tell-team";

/** Who files the requests alerts open (the audit log names it as system:monitoring). */
export const MONITORING_ACTOR = systemActor("monitoring");

type Filing = {
  alert: ReceivedAlert;
  action: MonitoringAction;
  target: AlertTarget & { version: string };
  /** What is live: the version, and the request that put it there. */
  live: { modelVersionId: string; requestId: string };
  environment: { name: string; protected: boolean };
  model: { id: string; teamId: string };
};

/**
 * Files the request a new firing opens, links the alert to it and submits it, in the caller's
 * transaction (receiveAlert's, which holds the model's lock). Returns its number.
 */
export async function fileAlertRequest(
  { work, tx, actor, now }: VerbRun,
  { alert, action, target, live, environment, model }: Filing,
): Promise<number> {
  // A new firing: the request is filed for the model's team, requested in the name of whoever
  // filed the deployment that made this version live (they own it there; ADR 0023).
  const [deployment] = await tx
    .select({ requestedBy: changeRequests.requestedBy })
    .from(changeRequests)
    .where(eq(changeRequests.id, live.requestId));
  const title = requestTitle(action, target.model, target.version, target.environment, alert.name);
  const fields = {
    kind: "deployment" as const,
    environment: environment.name,
    risk: "medium" as const,
    emergency: false,
    currency: null,
    totalCostMinor: null,
  };
  const assessed = assessFields(fields, environment.protected);
  const [request] = await tx
    .insert(changeRequests)
    .values({
      ...fields,
      title,
      description: requestDescription(alert, action, target),
      modelVersionId: live.modelVersionId,
      effectiveRisk: assessed.risk,
      riskFactors: assessed.factors,
      requestedBy: deployment!.requestedBy,
      teamId: model.teamId,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await recordAudit(
    tx,
    MONITORING_ACTOR,
    {
      action: "request.created",
      entityType: "change_request",
      entityId: request!.id,
      data: {
        number: request!.number,
        title,
        kind: request!.kind,
        model: target.model,
        version: target.version,
        environment: target.environment,
        alert: alert.name,
        monitoringAction: action,
        onBehalfOf: model.teamId,
      },
    },
    now,
  );
  await tx.insert(monitoringAlertLinks).values({
    fingerprint: alert.fingerprint,
    alertName: alert.name,
    source: alert.source,
    modelId: model.id,
    modelVersionId: live.modelVersionId,
    environment: environment.name,
    action,
    requestId: request!.id,
    status: "firing",
    startsAt: alert.startsAt,
    labels: alert.labels,
    annotations: alert.annotations,
    generatorUrl: alert.generatorUrl,
    firstSeenAt: now,
    lastSeenAt: now,
  });
  // Submitted at once, so the environment's policy routes it: no approval is skipped for it.
  const chain = await snapshotChain(work, request!, request!.revision, now);
  const passed = chain.steps.filter((s) => s.status === "auto_passed");
  await notifyApprovers(work, chain.request, chain.opened, { kind: "submitted", passed }, now);
  await recordAudit(
    tx,
    MONITORING_ACTOR,
    {
      action: chain.request.status === "approved" ? "request.approved" : "request.submitted",
      entityType: "change_request",
      entityId: request!.id,
      data: {
        number: request!.number,
        revision: request!.revision,
        chain: chain.steps.map((s) => ({
          stage: s.stage,
          role: s.role,
          scope: s.scope,
          quorum: s.quorum,
          status: s.status,
        })),
      },
    },
    now,
  );
  await recordAudit(
    tx,
    actor,
    {
      action: "monitoring.alert_opened",
      entityType: "change_request",
      entityId: request!.id,
      data: {
        number: request!.number,
        alert: alert.name,
        fingerprint: alert.fingerprint,
        source: alert.source,
        monitoringAction: action,
        labels: alert.labels,
        annotations: alert.annotations,
        generatorUrl: alert.generatorUrl,
        ...target,
      },
    },
    now,
  );
  await tellTeam(work, request!, alert, target, action, "opened");
  return request!.number;
}
