import { z } from "zod";
import { MONITORING_ACTIONS } from "@/db/schema/monitoring";
import { storable } from "../validation";

// What monitors send. Alertmanager's webhook payload (version 4) as its documentation and
// notify/webhook describe it, and a plain JSON form for every other monitor. Either is parsed into
// ReceivedAlert, which is what the rules work with.

/** Alerts handled per call; Alertmanager's webhook_configs max_alerts should be at most this. */
export const MAX_ALERTS_PER_CALL = 100;

const shortText = (max: number, label: string) =>
  z
    .string({ error: `${label} must be text.` })
    .max(max, `${label} can be at most ${max} characters.`)
    .superRefine(storable);

const labelSet = z
  .record(shortText(200, "A label name"), shortText(2000, "A label value"), {
    error: "Labels are an object of names to text values.",
  })
  .refine((v) => Object.keys(v).length <= 100, "At most 100 labels.");

const annotationSet = z
  .record(shortText(200, "An annotation name"), shortText(10_000, "An annotation value"), {
    error: "Annotations are an object of names to text values.",
  })
  .refine((v) => Object.keys(v).length <= 50, "At most 50 annotations.");

/** RFC 3339 as Go writes it; Alertmanager's "0001-01-01T00:00:00Z" means "not yet" and becomes null. */
const goTime = z
  .string({ error: "A time is an RFC 3339 string." })
  .max(64)
  .refine((v) => !Number.isNaN(Date.parse(v)), "A time is an RFC 3339 string.")
  .transform((v) => {
    const at = new Date(v);
    return at.getUTCFullYear() <= 1 ? null : at;
  });

const alertStatus = z.enum(["firing", "resolved"], { error: "Status is firing or resolved." });

const link = z
  .string()
  .max(2000, "A link can be at most 2000 characters.")
  .superRefine(storable)
  .refine((v) => v === "" || /^https?:\/\/\S+$/i.test(v), "A link is an http(s) URL.");

export const AlertmanagerAlert = z.object({
  status: alertStatus,
  labels: labelSet,
  annotations: annotationSet.default({}),
  startsAt: goTime.optional(),
  endsAt: goTime.optional(),
  generatorURL: link.optional(),
  fingerprint: shortText(200, "The fingerprint").min(1, "The fingerprint is required."),
});

export const AlertmanagerPayload = z.object({
  version: z.literal("4", { error: 'Only Alertmanager webhook payload version "4" is understood.' }),
  receiver: shortText(500, "The receiver").optional(),
  status: alertStatus,
  alerts: z
    .array(AlertmanagerAlert, { error: "alerts is a list." })
    .min(1, "The payload carries no alerts.")
    .max(
      MAX_ALERTS_PER_CALL,
      `At most ${MAX_ALERTS_PER_CALL} alerts per call: set max_alerts in the webhook config to ${MAX_ALERTS_PER_CALL} or fewer.`,
    ),
  groupLabels: labelSet.optional(),
  commonLabels: labelSet.optional(),
  commonAnnotations: annotationSet.optional(),
  externalURL: link.optional(),
  groupKey: shortText(5000, "The group key").optional(),
  truncatedAlerts: z.number().int().min(0).optional(),
});

const name = (label: string) => shortText(200, label).trim().min(1, `${label} is required.`);

/** One alert from any other monitor: it names the model, version and environment itself. */
export const GenericAlert = z.object({
  name: name("The alert name"),
  status: alertStatus,
  model: name("The model"),
  // Optional: without it the alert is about whatever is live in the environment.
  version: name("The version").optional(),
  environment: name("The environment"),
  // What makes two deliveries the same alert; by default its name, model, version and environment.
  id: name("The id").optional(),
  summary: shortText(10_000, "The summary").optional(),
  url: link.optional(),
  startsAt: goTime.optional(),
});

export const GenericPayload = z.union([
  GenericAlert,
  z.object({
    alerts: z
      .array(GenericAlert, { error: "alerts is a list." })
      .min(1, "The payload carries no alerts.")
      .max(MAX_ALERTS_PER_CALL, `At most ${MAX_ALERTS_PER_CALL} alerts per call.`),
  }),
]);

/**
 * What POST /api/v1/monitoring/alerts accepts: Alertmanager's payload (told apart by its `version`
 * field) or the generic form (one alert, or `{alerts: [...]}`).
 */
export const AlertsPayload = z.union([AlertmanagerPayload, GenericPayload]);

/** One alert, from whichever source, as the rules see it. */
export type ReceivedAlert = {
  source: "alertmanager" | "generic";
  name: string;
  status: "firing" | "resolved";
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date | null;
  generatorUrl: string | null;
  /** The generic form names these itself; for Alertmanager they come from labels (settings). */
  target: { model?: string; version?: string; environment?: string } | null;
};

const labelName = z
  .string({ error: "A label name is text." })
  .trim()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]{0,99}$/, "A label name is letters, digits and underscores (Prometheus's rule).");

/** "HighErrorRate: rollback" per line (or "="); a line without an action keeps it empty, refused at that name. */
export function actionLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const at = line.search(/[:=]/);
    const name = (at < 0 ? line : line.slice(0, at)).trim();
    out[name] =
      at < 0
        ? ""
        : line
            .slice(at + 1)
            .trim()
            .toLowerCase();
  }
  return out;
}

export const MonitoringSettingsInput = z.object({
  modelLabel: labelName.default("model"),
  versionLabel: labelName.default("model_version"),
  environmentLabel: labelName.default("environment"),
  defaultAction: z.enum(MONITORING_ACTIONS, { error: "The default is rollback or retrain." }).default("rollback"),
  // An object, or (from the admin form) lines of "AlertName: rollback|retrain".
  actions: z
    .preprocess(
      (v) => (typeof v === "string" ? actionLines(v) : v),
      z.record(
        z
          .string()
          .trim()
          .min(1, "Name the alert.")
          .max(200, "An alert name can be at most 200 characters.")
          .superRefine(storable),
        z.string({ error: "Each alert's action is rollback or retrain." }),
        { error: "actions is an object of alert names to rollback or retrain." },
      ),
    )
    // Reported at "actions" itself, naming the alert: the admin form has one box for all of them.
    .superRefine((v, ctx) => {
      for (const [name, action] of Object.entries(v)) {
        if (!(MONITORING_ACTIONS as readonly string[]).includes(action)) {
          ctx.addIssue({
            code: "custom",
            message: `${name}: ${action ? `"${action}" is not an action;` : "no action given;"} write rollback or retrain.`,
          });
        }
      }
    })
    .transform((v) => v as Record<string, (typeof MONITORING_ACTIONS)[number]>)
    .refine((v) => Object.keys(v).length <= 200, "At most 200 alert names.")
    .default({}),
});
export type MonitoringSettingsInput = z.output<typeof MonitoringSettingsInput>;
