import { describe, expect, it } from "vitest";
import {
  actionFor,
  DEFAULT_MONITORING_SETTINGS,
  firesAgain,
  fromAlertmanager,
  fromGeneric,
  requestDescription,
  requestTitle,
  targetOf,
} from "../../lib/monitoring/rules";
import { actionLines, AlertmanagerPayload, GenericAlert } from "../../lib/monitoring/schemas";

// The payload from Alertmanager's documentation shape (version 4), one alert.
const payload = {
  receiver: "greenlight",
  status: "firing",
  alerts: [
    {
      status: "firing",
      labels: { alertname: "HighErrorRate", model: "fraud-detector", model_version: "v3", environment: "production" },
      annotations: { summary: "Error rate above 5%" },
      startsAt: "2026-12-03T09:00:00.123456789Z",
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus:9090/graph?g0.expr=x",
      fingerprint: "1a30ba71cca2921f",
    },
  ],
  groupLabels: { alertname: "HighErrorRate" },
  commonLabels: {},
  commonAnnotations: {},
  externalURL: "http://alertmanager:9093",
  version: "4",
  groupKey: '{}:{alertname="HighErrorRate"}',
  truncatedAlerts: 0,
};

describe("monitoring rules", () => {
  it("reads an Alertmanager payload: Go's zero time is no time, the alertname names the alert", () => {
    const [alert] = fromAlertmanager(AlertmanagerPayload.parse(payload));
    expect(alert).toMatchObject({
      source: "alertmanager",
      name: "HighErrorRate",
      status: "firing",
      fingerprint: "1a30ba71cca2921f",
      generatorUrl: "http://prometheus:9090/graph?g0.expr=x",
      target: null,
    });
    expect(alert!.startsAt?.toISOString()).toBe("2026-12-03T09:00:00.123Z");
    expect(AlertmanagerPayload.safeParse({ ...payload, version: "3" }).success).toBe(false);
  });

  it("maps labels to the model version with the configured names; model and environment are required", () => {
    const [alert] = fromAlertmanager(AlertmanagerPayload.parse(payload));
    expect(targetOf(alert!, DEFAULT_MONITORING_SETTINGS)).toEqual({
      ok: true,
      target: { model: "fraud-detector", version: "v3", environment: "production" },
    });
    const renamed = { ...DEFAULT_MONITORING_SETTINGS, modelLabel: "service", environmentLabel: "env" };
    expect(targetOf(alert!, renamed)).toEqual({ ok: false, reason: "missing the label service and the label env" });
    const noVersion = { ...alert!, labels: { model: "m", environment: "staging" } };
    expect(targetOf(noVersion, DEFAULT_MONITORING_SETTINGS)).toEqual({
      ok: true,
      target: { model: "m", version: null, environment: "staging" },
    });
  });

  it("a generic alert without an id gets a stable fingerprint of what it names", () => {
    const a = fromGeneric(GenericAlert.parse({ name: "Drift", status: "firing", model: "m", environment: "staging" }));
    const b = fromGeneric(
      GenericAlert.parse({ name: "Drift", status: "resolved", model: "m", environment: "staging" }),
    );
    const c = fromGeneric(GenericAlert.parse({ name: "Drift", status: "firing", model: "n", environment: "staging" }));
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(c.fingerprint);
    expect(targetOf(a, DEFAULT_MONITORING_SETTINGS)).toMatchObject({ ok: true });
  });

  it("the action per alert name, with the default for the rest", () => {
    const settings = { ...DEFAULT_MONITORING_SETTINGS, actions: { ModelDrift: "retrain" as const } };
    expect(actionFor(settings, "ModelDrift")).toBe("retrain");
    expect(actionFor(settings, "HighErrorRate")).toBe("rollback");
    expect(actionLines("A: rollback\n\nB = Retrain\nC")).toEqual({ A: "rollback", B: "retrain", C: "" });
  });

  it("words: the title says what happened, the description carries annotations, labels and link", () => {
    expect(requestTitle("rollback", "fraud-detector", "v3", "production", "HighErrorRate")).toBe(
      "Roll back fraud-detector v3 in production: HighErrorRate firing",
    );
    const [alert] = fromAlertmanager(AlertmanagerPayload.parse(payload));
    const text = requestDescription(alert!, "rollback", {
      model: "fraud-detector",
      version: "v3",
      environment: "production",
    });
    expect(text).toContain("- summary: Error rate above 5%");
    expect(text).toContain("- model_version=v3");
    expect(text).toContain("Link: http://prometheus:9090/graph?g0.expr=x");
  });

  it("a firing is new after a resolution or with a new start, a repeat otherwise", () => {
    const at = new Date("2026-12-03T09:00:00Z");
    expect(firesAgain({ status: "firing", startsAt: at }, { startsAt: new Date(at) })).toBe(false);
    expect(firesAgain({ status: "firing", startsAt: at }, { startsAt: new Date("2026-12-03T10:00:00Z") })).toBe(true);
    expect(firesAgain({ status: "resolved", startsAt: at }, { startsAt: at })).toBe(true);
    expect(firesAgain({ status: "firing", startsAt: at }, { startsAt: null })).toBe(false);
  });
});
