import "server-only";
import type { Tx } from "@/db";
import { monitoringAlertLog } from "@/db/schema";
import type { AlertOutcome, MonitoringAction } from "@/db/schema/monitoring";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import type { AlertTarget } from "./rules";
import type { ReceivedAlert } from "./schemas";

/** What became of one alert, as the sender is told. */
export type AlertResult = {
  fingerprint: string;
  alert: string;
  status: "firing" | "resolved";
  outcome: AlertOutcome;
  /** The request it opened, was added to, or was noted on. */
  request: number | null;
  action: MonitoringAction | null;
  /** In words: "opened CR-1042", "ignored: no model named x". */
  detail: string;
};

export type Log = { alert: ReceivedAlert; target: Partial<AlertTarget> | null; actor: Actor; now: Date };

export async function writeLog(tx: Tx, log: Log, outcome: AlertOutcome, reason: string | null, request: number | null) {
  const [row] = await tx
    .insert(monitoringAlertLog)
    .values({
      receivedAt: log.now,
      source: log.alert.source,
      alertName: log.alert.name,
      status: log.alert.status,
      fingerprint: log.alert.fingerprint,
      model: log.target?.model ?? null,
      version: log.target?.version ?? null,
      environment: log.target?.environment ?? null,
      labels: log.alert.labels,
      outcome,
      reason,
      requestNumber: request,
      receivedBy: log.actor.kind === "user" ? log.actor.email : log.actor.label,
    })
    .returning({ id: monitoringAlertLog.id });
  return row!.id;
}

export async function ignored(tx: Tx, log: Log, reason: string): Promise<AlertResult> {
  const id = await writeLog(tx, log, "ignored", reason, null);
  await recordAudit(
    tx,
    log.actor,
    {
      action: "monitoring.alert_ignored",
      entityType: "monitoring_alert",
      entityId: id,
      data: { alert: log.alert.name, fingerprint: log.alert.fingerprint, status: log.alert.status, reason },
    },
    log.now,
  );
  return {
    fingerprint: log.alert.fingerprint,
    alert: log.alert.name,
    status: log.alert.status,
    outcome: "ignored",
    request: null,
    action: null,
    detail: `ignored: ${reason}`,
  };
}
