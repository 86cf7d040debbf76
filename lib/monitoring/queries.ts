import "server-only";
import { desc } from "drizzle-orm";
import { monitoringAlertLog } from "@/db/schema";
import { assertRole, type UserContext } from "../auth/actor";
import { readMonitoringSettings } from "./settings";

/** How many received alerts the admin page lists. */
export const RECENT_ALERTS = 50;

/** The admin page: the settings and the newest alerts received with what became of each. */
export async function readMonitoringPage(ctx: UserContext) {
  assertRole(ctx.actor, "admin");
  const [settings, recent] = await Promise.all([
    readMonitoringSettings(ctx.db),
    ctx.db
      .select({
        id: monitoringAlertLog.id,
        receivedAt: monitoringAlertLog.receivedAt,
        source: monitoringAlertLog.source,
        alertName: monitoringAlertLog.alertName,
        status: monitoringAlertLog.status,
        fingerprint: monitoringAlertLog.fingerprint,
        model: monitoringAlertLog.model,
        version: monitoringAlertLog.version,
        environment: monitoringAlertLog.environment,
        outcome: monitoringAlertLog.outcome,
        reason: monitoringAlertLog.reason,
        requestNumber: monitoringAlertLog.requestNumber,
        receivedBy: monitoringAlertLog.receivedBy,
      })
      .from(monitoringAlertLog)
      .orderBy(desc(monitoringAlertLog.receivedAt), desc(monitoringAlertLog.id))
      .limit(RECENT_ALERTS),
  ]);
  return { settings, recent };
}
export type MonitoringPage = Awaited<ReturnType<typeof readMonitoringPage>>;
