import "server-only";
import { monitoringSettings } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { defineVerb } from "../verb";
import { MonitoringSettingsInput } from "./schemas";
import { readMonitoringSettings } from "./settings";

/** Admins set which labels name the model, version and environment, and what each alert asks for. */
export const updateMonitoringSettings = defineVerb({
  allow: ["admin"],
  input: MonitoringSettingsInput,
  async run({ tx, actor, now }, input) {
    const before = await readMonitoringSettings(tx);
    const values = { ...input, updatedBy: actor.kind === "user" ? actor.id : null, updatedAt: now };
    await tx
      .insert(monitoringSettings)
      .values({ id: 1, ...values })
      .onConflictDoUpdate({ target: monitoringSettings.id, set: values });
    await recordAudit(
      tx,
      actor,
      {
        action: "monitoring.settings_updated",
        entityType: "monitoring_settings",
        entityId: "1",
        data: { before, after: input },
      },
      now,
    );
    return input;
  },
});
