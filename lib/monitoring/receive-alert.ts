import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db";
import {
  changeRequests,
  environments,
  modelDeployments,
  models,
  modelVersions,
  monitoringAlertLinks,
  type MonitoringAlertLink,
} from "@/db/schema";
import type { AlertOutcome, MonitoringAction } from "@/db/schema/monitoring";
import { recordAudit } from "../audit/record";
import { defineVerb } from "../verb";
import { ignored, writeLog, type AlertResult, type Log } from "./alert-log";
import { fileAlertRequest } from "./file-request";
import { actionFor, firesAgain, isOpenRequest, targetOf } from "./rules";
import type { ReceivedAlert } from "./schemas";
import { readMonitoringSettings } from "./settings";
import { tellTeam } from "./tell-team";

const text = z.record(z.string(), z.string());
/** One alert already parsed from its payload (lib/monitoring/receive-alerts.ts does that). */
export const ReceivedAlertInput = z.object({
  source: z.enum(["alertmanager", "generic"]),
  name: z.string().min(1).max(200),
  status: z.enum(["firing", "resolved"]),
  fingerprint: z.string().min(1).max(200),
  labels: text,
  annotations: text,
  startsAt: z.date().nullable(),
  generatorUrl: z.string().max(2000).nullable(),
  target: z
    .object({ model: z.string().optional(), version: z.string().optional(), environment: z.string().optional() })
    .nullable(),
}) satisfies z.ZodType<ReceivedAlert>;

/**
 * One alert, in one transaction: a firing on a live version opens a rollback or retraining request
 * (filed by the system on behalf of the model's team, submitted so policy routes it), or adds to the
 * request its fingerprint already opened; a resolution is noted on that request; anything naming no
 * live version is recorded as ignored with the reason. The model's row is locked first, so two
 * deliveries of the same alert queue up and the second finds the first's request; the partial unique
 * index on open links is the last word (a 409, which lib/monitoring/receive-alerts.ts retries once).
 */
export const receiveAlert = defineVerb({
  allow: ["admin", "ml_lead"],
  input: ReceivedAlertInput,
  conflict: "The same alert was being handled at the same moment; nothing was saved. Try again.",
  async run({ work, tx, actor, now }, alert): Promise<AlertResult> {
    const settings = await readMonitoringSettings(tx);
    const targeted = targetOf(alert, settings);
    const log: Log = { alert, target: null, actor, now };
    if (!targeted.ok) return ignored(tx, log, targeted.reason);
    const wanted = targeted.target;
    log.target = wanted;

    const [model] = await tx
      .select({ id: models.id, name: models.name, teamId: models.teamId })
      .from(models)
      .where(eq(models.name, wanted.model));
    if (!model) return ignored(tx, log, `no model named ${wanted.model}`);
    const [environment] = await tx
      .select({ name: environments.name, protected: environments.protected })
      .from(environments)
      .where(eq(environments.name, wanted.environment));
    if (!environment) return ignored(tx, log, `no environment named ${wanted.environment}`);

    // Alerts on one model queue up here (as deploys and rollbacks do, lib/requests/live-state.ts).
    await tx.select({ id: models.id }).from(models).where(eq(models.id, model.id)).for("no key update");
    const [live] = await tx
      .select({
        modelVersionId: modelDeployments.modelVersionId,
        version: modelVersions.version,
        requestId: modelDeployments.requestId,
      })
      .from(modelDeployments)
      .innerJoin(modelVersions, eq(modelVersions.id, modelDeployments.modelVersionId))
      .where(
        and(
          eq(modelDeployments.modelId, model.id),
          eq(modelDeployments.environment, environment.name),
          isNull(modelDeployments.retiredAt),
        ),
      );
    if (!live) return ignored(tx, log, `nothing of ${model.name} is live in ${environment.name}`);
    if (wanted.version && wanted.version !== live.version)
      return ignored(
        tx,
        log,
        `${model.name} ${wanted.version} is not live in ${environment.name} (${live.version} is)`,
      );
    const target = { model: model.name, version: live.version, environment: environment.name };
    log.target = target;

    let link = await openLink(tx, alert.fingerprint, live.modelVersionId, environment.name);
    let linked = link ? await requestOf(tx, link.requestId) : null;
    if (link && (!linked || !isOpenRequest(linked.status))) {
      // Its request has finished: the link closes, and a firing now opens a new request.
      await tx.update(monitoringAlertLinks).set({ closedAt: now }).where(eq(monitoringAlertLinks.id, link.id));
      link = null;
      linked = null;
    }

    if (alert.status === "resolved") {
      if (!link || !linked) return ignored(tx, log, "resolved, and no open request was opened by this alert");
      await tx
        .update(monitoringAlertLinks)
        .set({
          status: "resolved",
          resolvedAt: now,
          lastSeenAt: now,
          deliveries: sql`${monitoringAlertLinks.deliveries} + 1`,
        })
        .where(eq(monitoringAlertLinks.id, link.id));
      await writeLog(tx, log, "resolved", null, linked.number);
      await recordAudit(
        tx,
        actor,
        {
          action: "monitoring.alert_resolved",
          entityType: "change_request",
          entityId: linked.id,
          data: { number: linked.number, alert: alert.name, fingerprint: alert.fingerprint, ...target },
        },
        now,
      );
      return result(alert, "resolved", linked.number, link.action, `resolved noted on CR-${linked.number}`);
    }

    if (link && linked) {
      const again = firesAgain(link, alert);
      await tx
        .update(monitoringAlertLinks)
        .set({
          status: "firing",
          lastSeenAt: now,
          deliveries: sql`${monitoringAlertLinks.deliveries} + 1`,
          ...(again
            ? { firings: sql`${monitoringAlertLinks.firings} + 1`, startsAt: alert.startsAt, resolvedAt: null }
            : {}),
          annotations: alert.annotations,
        })
        .where(eq(monitoringAlertLinks.id, link.id));
      const outcome = again ? "added" : "repeat";
      await writeLog(tx, log, outcome, null, linked.number);
      await recordAudit(
        tx,
        actor,
        again
          ? {
              action: "monitoring.alert_added",
              entityType: "change_request",
              entityId: linked.id,
              data: {
                number: linked.number,
                alert: alert.name,
                fingerprint: alert.fingerprint,
                firing: link.firings + 1,
                ...target,
              },
            }
          : {
              action: "monitoring.alert_repeated",
              entityType: "monitoring_alert_link",
              entityId: link.id,
              data: { number: linked.number, alert: alert.name, fingerprint: alert.fingerprint },
            },
        now,
      );
      if (again) await tellTeam(work, linked, alert, target, link.action, "again");
      return result(
        alert,
        outcome,
        linked.number,
        link.action,
        again ? `added to CR-${linked.number} (fired again)` : `already on CR-${linked.number} (still firing)`,
      );
    }

    const action = actionFor(settings, alert.name);
    const number = await fileAlertRequest(
      { work, tx, actor, now },
      { alert, action, target, live, environment, model },
    );
    await writeLog(tx, log, "opened", null, number);
    return result(alert, "opened", number, action, `opened CR-${number}`);
  },
});

export type { AlertResult };

function result(
  alert: ReceivedAlert,
  outcome: AlertOutcome,
  request: number,
  action: MonitoringAction,
  detail: string,
): AlertResult {
  return { fingerprint: alert.fingerprint, alert: alert.name, status: alert.status, outcome, request, action, detail };
}

async function openLink(tx: Tx, fingerprint: string, modelVersionId: string, environment: string) {
  const [link] = await tx
    .select()
    .from(monitoringAlertLinks)
    .where(
      and(
        eq(monitoringAlertLinks.fingerprint, fingerprint),
        eq(monitoringAlertLinks.modelVersionId, modelVersionId),
        eq(monitoringAlertLinks.environment, environment),
        isNull(monitoringAlertLinks.closedAt),
      ),
    )
    .for("update");
  return (link as MonitoringAlertLink | undefined) ?? null;
}

async function requestOf(tx: Tx, id: string) {
  const [request] = await tx
    .select({
      id: changeRequests.id,
      number: changeRequests.number,
      title: changeRequests.title,
      status: changeRequests.status,
      requestedBy: changeRequests.requestedBy,
    })
    .from(changeRequests)
    .where(eq(changeRequests.id, id))
    .for("update");
  return request ?? null;
}
