import "server-only";
import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { monitoringSettings } from "@/db/schema";
import { DEFAULT_MONITORING_SETTINGS, type MonitoringSettings } from "./rules";

/** The organisation's monitoring settings (the defaults until an admin saves some). */
export async function readMonitoringSettings(db: Db | Tx): Promise<MonitoringSettings> {
  const [row] = await db.select().from(monitoringSettings).where(eq(monitoringSettings.id, 1));
  if (!row) return DEFAULT_MONITORING_SETTINGS;
  return {
    modelLabel: row.modelLabel,
    versionLabel: row.versionLabel,
    environmentLabel: row.environmentLabel,
    defaultAction: row.defaultAction,
    actions: row.actions,
  };
}
