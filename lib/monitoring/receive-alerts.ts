import "server-only";
import { z } from "zod";
import { assertRole, type UserContext } from "../auth/actor";
import { isAppError } from "../errors";
import { parseInput } from "../validation";
import { ignoreAlert } from "./ignore-alert";
import { receiveAlert, type AlertResult } from "./receive-alert";
import { fromAlertmanager, fromGeneric } from "./rules";
import { AlertmanagerPayload, GenericAlert, MAX_ALERTS_PER_CALL, type ReceivedAlert } from "./schemas";

const GenericBatch = z.object({
  alerts: z
    .array(GenericAlert, { error: "alerts is a list." })
    .min(1, "The payload carries no alerts.")
    .max(MAX_ALERTS_PER_CALL, `At most ${MAX_ALERTS_PER_CALL} alerts per call.`),
});

/**
 * A payload's alerts: Alertmanager's (a list of `alerts` with the payload's `version`), or the generic form, one
 * alert or `{alerts: [...]}`. Bad input is a 400 with field errors, before anything is handled.
 */
export function parseAlerts(raw: unknown): ReceivedAlert[] {
  const body = typeof raw === "object" && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  // A generic alert has a `version` too (the model's): only a list of alerts with one is Alertmanager's.
  if ("alerts" in body && "version" in body) return fromAlertmanager(parseInput(AlertmanagerPayload, raw));
  if ("alerts" in body) return parseInput(GenericBatch, raw).alerts.map(fromGeneric);
  return [fromGeneric(parseInput(GenericAlert, raw))];
}

export type AlertsReceived = { received: number; alerts: AlertResult[] };

/**
 * Handles each alert of a payload in its own transaction (one alert's refusal never undoes
 * another's request) and answers what became of each. Ignored alerts are answered and logged, not
 * refused: Alertmanager retries a non-2xx answer, and an alert naming no model would never succeed.
 */
export async function receiveAlerts(ctx: UserContext, raw: unknown): Promise<AlertsReceived> {
  assertRole(ctx.actor, "admin", "ml_lead");
  const alerts = parseAlerts(raw);
  const results: AlertResult[] = [];
  for (const alert of alerts) results.push(await receiveOne(ctx, alert));
  return { received: alerts.length, alerts: results };
}

async function receiveOne(ctx: UserContext, alert: ReceivedAlert): Promise<AlertResult> {
  try {
    return await receiveAlert(ctx, alert);
  } catch (error) {
    // A lost race with another delivery of the same alert: the winner's request is there now.
    if (isAppError(error) && error.status === 409) {
      try {
        return await receiveAlert(ctx, alert);
      } catch (again) {
        error = again;
      }
    }
    if (isAppError(error) && error.status < 500 && error.status !== 401 && error.status !== 403 && error.status !== 499)
      return ignoreAlert(ctx, { alert, reason: error.message });
    throw error;
  }
}
