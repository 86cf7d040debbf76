import { createHash } from "node:crypto";
import type { MonitoringAction } from "@/db/schema/monitoring";
import type { RequestStatus } from "@/db/schema/requests";
import type { AlertmanagerPayload, GenericAlert, ReceivedAlert } from "./schemas";
import type { z } from "zod";

// Pure rules of the monitoring loop: payloads to alerts, alerts to a model version, what a firing
// asks for, and the words of the request it opens.

export type MonitoringSettings = {
  modelLabel: string;
  versionLabel: string;
  environmentLabel: string;
  defaultAction: MonitoringAction;
  actions: Record<string, MonitoringAction>;
};

export const DEFAULT_MONITORING_SETTINGS: MonitoringSettings = {
  modelLabel: "model",
  versionLabel: "model_version",
  environmentLabel: "environment",
  defaultAction: "rollback",
  actions: {},
};

export function fromAlertmanager(payload: z.output<typeof AlertmanagerPayload>): ReceivedAlert[] {
  return payload.alerts.map((a) => ({
    source: "alertmanager",
    // Alertmanager names every alert by its alertname label; an alert without one is still handled.
    name: a.labels.alertname?.trim() || "unnamed alert",
    status: a.status,
    fingerprint: a.fingerprint,
    labels: a.labels,
    annotations: a.annotations,
    startsAt: a.startsAt ?? null,
    generatorUrl: a.generatorURL || null,
    target: null,
  }));
}

export function fromGeneric(alert: z.output<typeof GenericAlert>): ReceivedAlert {
  const key = [alert.name, alert.model, alert.version ?? "", alert.environment].join("\u0000");
  return {
    source: "generic",
    name: alert.name,
    status: alert.status,
    fingerprint: alert.id ?? `generic:${createHash("sha256").update(key).digest("hex").slice(0, 32)}`,
    labels: {
      alertname: alert.name,
      model: alert.model,
      ...(alert.version ? { version: alert.version } : {}),
      environment: alert.environment,
    },
    annotations: alert.summary ? { summary: alert.summary } : {},
    startsAt: alert.startsAt ?? null,
    generatorUrl: alert.url || null,
    target: { model: alert.model, version: alert.version, environment: alert.environment },
  };
}

export type AlertTarget = { model: string; version: string | null; environment: string };

/** The model, version and environment an alert is about, or why it names none. */
export function targetOf(
  alert: ReceivedAlert,
  settings: MonitoringSettings,
): { ok: true; target: AlertTarget } | { ok: false; reason: string } {
  const pick = (explicit: string | undefined, label: string) =>
    (explicit ?? (alert.target ? undefined : alert.labels[label]))?.trim() || undefined;
  const model = pick(alert.target?.model, settings.modelLabel);
  const version = pick(alert.target?.version, settings.versionLabel);
  const environment = pick(alert.target?.environment, settings.environmentLabel);
  const missing = [
    !model && (alert.target ? "model" : `the label ${settings.modelLabel}`),
    !environment && (alert.target ? "environment" : `the label ${settings.environmentLabel}`),
  ].filter(Boolean);
  if (!model || !environment) return { ok: false, reason: `missing ${missing.join(" and ")}` };
  return { ok: true, target: { model, version: version ?? null, environment } };
}

export function actionFor(settings: MonitoringSettings, alertName: string): MonitoringAction {
  return settings.actions[alertName] ?? settings.defaultAction;
}

/**
 * Requests still being worked on: an alert link to one of these stays open (a repeat adds to it).
 * Once its request has finished, the next firing opens a new one.
 */
const OPEN_STATUSES: readonly RequestStatus[] = ["draft", "in_review", "changes_requested", "approved"];
export const isOpenRequest = (status: RequestStatus) => OPEN_STATUSES.includes(status);

export function requestTitle(
  action: MonitoringAction,
  model: string,
  version: string,
  environment: string,
  alert: string,
) {
  const verb = action === "rollback" ? "Roll back" : "Retrain";
  return `${verb} ${model} ${version} in ${environment}: ${alert} firing`.slice(0, 200);
}

/** The request's description: what fired, its annotations, labels and link, in plain Markdown-ish text. */
export function requestDescription(
  alert: ReceivedAlert,
  action: MonitoringAction,
  target: AlertTarget & { version: string },
) {
  const lines = [
    action === "rollback"
      ? `Monitoring reports ${alert.name} firing on ${target.model} ${target.version}, live in ${target.environment}. Roll it back to the version live before it (or approve a fix).`
      : `Monitoring reports ${alert.name} firing on ${target.model} ${target.version}, live in ${target.environment}. Retrain the model and ship a new version.`,
    "",
    `Source: ${alert.source === "alertmanager" ? "Prometheus Alertmanager" : "monitor (generic JSON)"}; fingerprint ${alert.fingerprint}`,
  ];
  if (alert.startsAt) lines.push(`Firing since: ${alert.startsAt.toISOString()}`);
  if (alert.generatorUrl) lines.push(`Link: ${alert.generatorUrl}`);
  const annotations = Object.entries(alert.annotations);
  if (annotations.length) {
    lines.push("", "Annotations:");
    for (const [k, v] of annotations) lines.push(`- ${k}: ${v}`);
  }
  const labels = Object.entries(alert.labels);
  if (labels.length) {
    lines.push("", "Labels:");
    for (const [k, v] of labels) lines.push(`- ${k}=${v}`);
  }
  return lines.join("\n").slice(0, 20_000);
}

/** A firing is new (not a repeat notification of the same one) after a resolution or with a new start. */
export function firesAgain(
  link: { status: string; startsAt: Date | null },
  alert: Pick<ReceivedAlert, "startsAt">,
): boolean {
  if (link.status === "resolved") return true;
  if (!alert.startsAt || !link.startsAt) return false;
  return alert.startsAt.getTime() !== link.startsAt.getTime();
}
